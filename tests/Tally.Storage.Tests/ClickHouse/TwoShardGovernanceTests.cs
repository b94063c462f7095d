using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The deletion contract on the sharded layout: the events' mutations run on each server's local table, and both
/// servers are searched table by table.
/// </summary>
[Collection(TwoShardCollection.Name)]
public sealed class TwoShardSubjectStoreTests : SubjectStoreContract
{
    private readonly TwoShardCluster _cluster;
    private readonly TwoShardStoreFactory _factory;

    public TwoShardSubjectStoreTests(TwoShardCluster cluster) : this(cluster, new TwoShardStoreFactory(cluster))
    {
    }

    private TwoShardSubjectStoreTests(TwoShardCluster cluster, TwoShardStoreFactory factory) : base(factory) => (_cluster, _factory) = (cluster, factory);

    protected override async Task<IReadOnlyList<string>> PlacesHoldingAsync(string needle)
    {
        var first = await ClickHouseSearch.PlacesHoldingAsync(needle, _factory.Database, (sql, db) => _cluster.First.QueryAsync(sql, db));
        var second = await ClickHouseSearch.PlacesHoldingAsync(needle, _factory.Database, (sql, db) => _cluster.Second.QueryAsync(sql, db));
        return [.. first.Select(p => "shard1 " + p), .. second.Select(p => "shard2 " + p)];
    }
}
