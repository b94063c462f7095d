using Tally.Core.Storage;
using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>The retention contract on a real ClickHouse server: deletions are mutations, waited for until done.</summary>
public sealed class ClickHouseRetentionStoreTests : RetentionStoreContract
{
    private readonly ClickHouseStoreFactory _factory;

    public ClickHouseRetentionStoreTests() : this(new ClickHouseStoreFactory())
    {
    }

    private ClickHouseRetentionStoreTests(ClickHouseStoreFactory factory) : base(factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Months_wholly_past_retention_are_dropped_without_a_mutation()
    {
        await using var store = await _factory.ReopenAsync();
        var january = Enumerable.Range(0, 20).Select(i => Some.Event("order_placed", new DateTimeOffset(2025, 1, 1 + i, 3, 0, 0, TimeSpan.Zero))).ToList();
        var march = Some.Event("order_placed", new DateTimeOffset(2025, 3, 3, 0, 0, 0, TimeSpan.Zero));
        await store.WriteAsync(new WriteBatch([.. january, march], [], []), Ct);
        var retention = (IRetentionStore)store;

        var deleted = await retention.DeleteEventsBeforeAsync([new EventCutoff("order_placed", new DateTimeOffset(2025, 2, 15, 0, 0, 0, TimeSpan.Zero))], Ct);
        var rollups = await retention.DeleteRollupsBeforeAsync(new DateOnly(2025, 2, 1), Ct);

        Assert.Equal(20, deleted["order_placed"]);
        Assert.Equal(20, rollups);
        Assert.Equal([march.EventId], await store.ReadEventsAsync(new EventQuery(), Ct).Select(e => e.EventId).ToListAsync(Ct));
        // On 18.16 a mutation would have rewritten every part of the table; a dropped partition rewrites nothing.
        Assert.Equal(["0"], await ClickHouseServer.LinesAsync($"SELECT count() FROM system.mutations WHERE database = '{_factory.Database}'", _factory.Database));
    }
}

/// <summary>The retention contract on the sharded layout: partitions are dropped and mutations run on both nodes' local tables.</summary>
[Collection(TwoShardCollection.Name)]
public sealed class TwoShardRetentionStoreTests(TwoShardCluster cluster) : RetentionStoreContract(new TwoShardStoreFactory(cluster));
