using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The analytics contract on the sharded layout: the queries read the Distributed <c>events</c> table, each shard
/// computes the per-event columns of its rows, and the entry server groups them by actor, so an actor whose events
/// lie on both shards (a user's sessions, events without a session) is still one actor.
/// </summary>
[Collection(TwoShardCollection.Name)]
public sealed class TwoShardAnalyticsContractTests(TwoShardCluster cluster) : AnalyticsStoreContract(new TwoShardStoreFactory(cluster));
