using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>The retention contract on a real ClickHouse server: deletions are mutations, waited for until done.</summary>
public sealed class ClickHouseRetentionStoreTests() : RetentionStoreContract(new ClickHouseStoreFactory());

/// <summary>The retention contract on the sharded layout: the mutations run on both nodes' local tables.</summary>
[Collection(TwoShardCollection.Name)]
public sealed class TwoShardRetentionStoreTests(TwoShardCluster cluster) : RetentionStoreContract(new TwoShardStoreFactory(cluster));
