using Tally.EndToEnd.Tests.Support;
using Tally.Storage.ClickHouse;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// Two ClickHouse servers started for these tests, each with a <c>remote_servers</c> config naming both as the
/// shards of <see cref="Name"/>: the layout of docs/scale-out.md on loopback ports. Shared by the tests of the
/// collection and stopped after them.
/// </summary>
public sealed class TwoShardCluster : IAsyncLifetime
{
    public const string Name = "tally_two_shards";

    public ClickHouseProcess First { get; } = new("shard1");
    public ClickHouseProcess Second { get; } = new("shard2");

    /// <summary>A store URI for <paramref name="database"/> in the sharded layout, entered through the first server.</summary>
    public ClickHouseStoreUri Uri(string database) =>
        ClickHouseStoreUri.Parse($"clickhouse://127.0.0.1:{First.HttpPort}/{database}?cluster={Name}&nodes=127.0.0.1:{Second.HttpPort}");

    public async ValueTask InitializeAsync()
    {
        var remoteServers = ClickHouseProcess.RemoteServers(Name, First, Second);
        First.ExtraXml = remoteServers;
        Second.ExtraXml = remoteServers;
        await Task.WhenAll(First.StartAsync(), Second.StartAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoShardCollection : ICollectionFixture<TwoShardCluster>
{
    public const string Name = "two ClickHouse shards";
}
