using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The whole storage contract on the sharded layout: events, counted events, their ids and roll-ups spread over two
/// servers behind Distributed tables, everything else on the entry server. Same promises as one node.
/// </summary>
[Collection(TwoShardCollection.Name)]
public sealed class TwoShardContractTests(TwoShardCluster cluster) : EventStoreContract(new TwoShardStoreFactory(cluster));
