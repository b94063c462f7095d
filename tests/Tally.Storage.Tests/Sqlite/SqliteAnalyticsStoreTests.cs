using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>The analytics contract on a real SQLite file, plus what only the SQLite store offers.</summary>
public sealed class SqliteAnalyticsStoreTests : AnalyticsStoreContract
{
    private readonly SqliteStoreFactory _factory;

    public SqliteAnalyticsStoreTests() : this(new SqliteStoreFactory())
    {
    }

    private SqliteAnalyticsStoreTests(SqliteStoreFactory factory) : base(factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_environment_is_answered_for_when_asked()
    {
        await using var store = await SqliteEventStore.OpenAsync(_factory.DatabasePath, Ct);
        var at = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        CollectedEvent Event(string id, string environment, long count) =>
            new() { EventId = id, Name = "page_viewed", Timestamp = at, ReceivedAt = at, Environment = environment, Count = count };
        await store.WriteAsync(WriteBatch.Of(Event("p", "production", 1), Event("s", "staging", 5)), Ct);
        var query = new CountsQuery("page_viewed", TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)));

        Assert.Equal(1, (await store.CountsAsync(query, Ct)).Total);
        Assert.Equal(5, (await store.Analytics("staging").CountsAsync(query, Ct)).Total);
        Assert.Equal(0, (await store.Analytics("development").CountsAsync(query, Ct)).Total);
    }
}
