using Microsoft.Data.Sqlite;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>The storage contract on a real SQLite file, plus what only the SQLite store promises.</summary>
public sealed class SqliteEventStoreTests : EventStoreContract
{
    private readonly SqliteStoreFactory _factory;

    public SqliteEventStoreTests() : this(new SqliteStoreFactory())
    {
    }

    private SqliteEventStoreTests(SqliteStoreFactory factory) : base(factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Schema_version_records_each_migration_once()
    {
        await Store.InitializeAsync(Ct);
        await ReopenAsync();

        var versions = await QueryAsync(_factory.DatabasePath, "SELECT version FROM schema_version ORDER BY version");

        // The numbers of the embedded scripts, which need not be contiguous (helpers are given numbers in advance).
        var scripts = typeof(Tally.Storage.Sqlite.SqliteEventStore).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => long.Parse(n.Split('.')[^2].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Order();
        Assert.Equal(scripts.Select(v => (object)v).ToList(), versions);
    }

    [Fact]
    public async Task The_database_is_in_write_ahead_log_mode()
    {
        Assert.Equal(["wal"], await QueryAsync(_factory.DatabasePath, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_completed_batch_is_in_the_files_on_disk_before_the_store_is_closed()
    {
        var e = Some.Event();
        await Store.WriteAsync(WriteBatch.Of(e), Ct);

        // Copy the database and its write-ahead log while the store still holds them open, as a crash would leave them.
        var copy = Path.Combine(_factory.DirectoryPath, "copy.db");
        foreach (var suffix in new[] { "", "-wal" })
        {
            if (File.Exists(_factory.DatabasePath + suffix))
            {
                File.Copy(_factory.DatabasePath + suffix, copy + suffix);
            }
        }

        Assert.Equal([e.EventId], await QueryAsync(copy, "SELECT event_id FROM events"));
    }

    [Fact]
    public async Task Aggregate_only_events_leave_no_raw_row_in_the_file()
    {
        var e = Some.Event() with { AggregateOnly = true };
        await Store.WriteAsync(WriteBatch.Of(e), Ct);

        Assert.Equal([0L], await QueryAsync(_factory.DatabasePath, "SELECT count(*) FROM events"));
        Assert.Equal([e.EventId], await QueryAsync(_factory.DatabasePath, "SELECT event_id FROM seen_ids"));
    }

    [Fact]
    public async Task Using_the_store_before_initializing_it_says_so()
    {
        await using var store = new SqliteEventStore(_factory.DatabasePath);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(WriteBatch.Of(Some.Event()), Ct));
        Assert.Contains("InitializeAsync", error.Message);
    }

    private static async Task<List<object>> QueryAsync(string path, string sql)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<object>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }
}
