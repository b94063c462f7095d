using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The analytics contract on a real ClickHouse server: every answer computed in SQL equals the engines'. The wider
/// differential checks (more units, windows, random funnels, the other seed plans) are in
/// <see cref="ClickHouseAnalyticsDifferentialTests"/>.
/// </summary>
public sealed class ClickHouseAnalyticsStoreTests() : AnalyticsStoreContract(new ClickHouseStoreFactory());
