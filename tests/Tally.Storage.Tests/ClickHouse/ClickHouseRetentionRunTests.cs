using Tally.Storage.Tests.Retention;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>The retention run on a real ClickHouse server.</summary>
public sealed class ClickHouseRetentionRunTests() : RetentionRunContract(new ClickHouseStoreFactory());
