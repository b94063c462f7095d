using Microsoft.Data.Sqlite;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Sqlite.Schema;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>Migration 004 (roll-up dimensions) upgrades a file written before it without losing a count.</summary>
public sealed class SqliteRollupDimensionsMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_from_before_dimensions_keeps_its_counts_and_counts_new_aggregate_only_events_apart_by_dimensions()
    {
        using var directory = new TempDirectory();
        var path = directory.File("tally.db");
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        await using (var connection = new SqliteConnection(builder.ToString()))
        {
            await connection.OpenAsync(Ct);
            foreach (var migration in SchemaMigrator.All.Where(m => m.Version < 4))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = migration.Sql + $"; INSERT INTO schema_version VALUES ({migration.Version}, '{migration.Name}', 0)";
                if (migration.Version == 1) command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);" + command.CommandText;
                await command.ExecuteNonQueryAsync(Ct);
            }

            await using var old = connection.CreateCommand();
            old.CommandText = "INSERT INTO rollups_daily (day, name, environment, source, count) VALUES ('2026-03-02', 'event_signup', 'production', 'web', 4)";
            await old.ExecuteNonQueryAsync(Ct);
        }

        var day = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        CollectedEvent Counted(string id, long count, string properties) => new()
        {
            EventId = id, Name = "event_signup", Timestamp = day, ReceivedAt = day, Source = "web", Count = count, AggregateOnly = true, PropertiesJson = properties,
        };
        await using var store = await SqliteEventStore.OpenAsync(path, Ct);
        await store.WriteAsync(new WriteBatch([Counted("n-1", 2, """{"event_id":"E1"}"""), Counted("n-2", 3, """{"event_id":"E2"}""")], [], []), Ct);
        await store.WriteAsync(WriteBatch.Of(Counted("n-3", 5, """{"event_id":"E1"}""")), Ct);

        var rows = await store.ReadRollupsAsync(new RollupQuery(), Ct);

        Assert.Equal([("", 4L), ("""{"event_id":"E1"}""", 7L), ("""{"event_id":"E2"}""", 3L)], rows.Select(r => (r.Dimensions, r.Count)));
    }
}
