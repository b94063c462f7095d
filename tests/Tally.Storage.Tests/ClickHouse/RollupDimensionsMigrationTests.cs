using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse;
using Tally.Storage.ClickHouse.Schema;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// Migration 004 (roll-up dimensions) on a real server: it upgrades a database written by version 1 without losing a
/// count, gives the roll-up a sort key that keeps dimensions apart, and can run again (a start cut short) harmlessly.
/// </summary>
public sealed class RollupDimensionsMigrationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _database = ClickHouseServer.NewDatabaseName();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await ClickHouseServer.DropDatabaseAsync(_database);

    private Task<ClickHouseEventStore> OpenAsync() => ClickHouseEventStore.OpenAsync(new ClickHouseStoreUri(ClickHouseServer.Url, _database), Ct);

    private static CollectedEvent Counted(string id, long count, string properties) => new()
    {
        EventId = id,
        Name = "event_signup",
        Timestamp = Day,
        ReceivedAt = Day,
        Source = "web",
        Count = count,
        AggregateOnly = true,
        PropertiesJson = properties,
    };

    [Fact]
    public async Task A_version_1_database_keeps_its_counts_and_counts_new_aggregate_only_events_apart_by_dimensions()
    {
        await ClickHouseServer.QueryAsync($"CREATE DATABASE {_database}");
        foreach (var statement in SchemaMigrator.All[0].Statements) await ClickHouseServer.QueryAsync(statement, _database);
        await ClickHouseServer.QueryAsync("CREATE TABLE schema_version (version UInt32, name String, applied_at Int64) ENGINE = MergeTree ORDER BY version", _database);
        await ClickHouseServer.QueryAsync("INSERT INTO schema_version VALUES (1, '001_initial', 0)", _database);
        await ClickHouseServer.QueryAsync("INSERT INTO counted_events VALUES ('old-1', 0, '2026-03-02', 'event_signup', 'production', 'web', 4)", _database);

        await using (var store = await OpenAsync())
        {
            await store.WriteAsync(new WriteBatch([Counted("n-1", 2, """{"event_id":"E1"}"""), Counted("n-2", 3, """{"event_id":"E2"}""")], [], []), Ct);
            await store.WriteAsync(new WriteBatch([Counted("n-3", 5, """{"event_id":"E1"}""")], [], []), Ct);
        }

        // Merging the parts sums rows of one sort key: rows with other dimensions must stay apart.
        await ClickHouseServer.QueryAsync("OPTIMIZE TABLE rollups_daily FINAL", _database);
        await using var reopened = await OpenAsync();
        var rows = await reopened.ReadRollupsAsync(new RollupQuery(), Ct);

        Assert.Equal([("", 4L), ("""{"event_id":"E1"}""", 7L), ("""{"event_id":"E2"}""", 3L)], rows.Select(r => (r.Dimensions, r.Count)));
        // Version 1 stays recorded once, and every later migration (004 among them) ran on top of it.
        Assert.Equal(SchemaMigrator.All.Select(m => m.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            await ClickHouseServer.LinesAsync("SELECT version FROM schema_version ORDER BY version", _database));
    }

    [Fact]
    public async Task Running_the_migrations_again_leaves_one_view_of_each_kind_and_every_count_counted_once()
    {
        await using (var store = await OpenAsync())
        {
            await store.WriteAsync(WriteBatch.Of(Counted("a-1", 2, """{"event_id":"E1"}""")), Ct);
        }

        // A start that died before recording its versions runs every script again.
        await ClickHouseServer.QueryAsync("DROP TABLE schema_version", _database);
        await using (var store = await OpenAsync())
        {
            await store.WriteAsync(WriteBatch.Of(Counted("a-2", 3, """{"event_id":"E1"}""")), Ct);
        }

        await using var reopened = await OpenAsync();
        var rows = await reopened.ReadRollupsAsync(new RollupQuery(), Ct);
        Assert.Equal(("""{"event_id":"E1"}""", 5L), Assert.Single(rows.Select(r => (r.Dimensions, r.Count))));
        Assert.Equal(["counted_events_to_rollups", "counted_events_to_seen_ids", "events_to_rollups", "events_to_seen_ids"],
            await ClickHouseServer.LinesAsync("SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView' ORDER BY name", _database));
    }
}
