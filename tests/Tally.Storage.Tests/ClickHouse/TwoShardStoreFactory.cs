using Tally.Core.Storage;
using Tally.Storage.ClickHouse;
using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>Stores in a database of the test's own, sharded over the two servers of <see cref="TwoShardCluster"/>, dropped afterwards on both.</summary>
internal sealed class TwoShardStoreFactory(TwoShardCluster cluster) : IEventStoreFactory
{
    public string Database { get; } = $"tally_shards_{Guid.NewGuid():N}";

    public ClickHouseStoreUri Uri => cluster.Uri(Database);

    public async Task<IEventStore> CreateAsync() => await ClickHouseEventStore.OpenAsync(Uri);

    public Task<IEventStore> ReopenAsync() => CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (cluster.First.IsRunning) await cluster.First.QueryAsync($"DROP DATABASE IF EXISTS {Database}");
        if (cluster.Second.IsRunning) await cluster.Second.QueryAsync($"DROP DATABASE IF EXISTS {Database}");
    }
}
