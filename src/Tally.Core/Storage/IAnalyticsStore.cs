using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Core.Storage;

/// <summary>
/// Analytics over stored events: operations, not SQL. Every store must return what the engines in
/// <c>Tally.Core.Analytics</c> return for the same events and identity links (docs/analytics.md); the engines are
/// the reference a store's contract tests compare with.
/// </summary>
public interface IAnalyticsStore
{
    Task<FunnelResult> FunnelAsync(FunnelQuery query, CancellationToken ct = default);

    Task<CountsResult> CountsAsync(CountsQuery query, CancellationToken ct = default);

    Task<KpiResult> KpiAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct = default);

    Task<AttributionResult> AttributionAsync(AttributionDefinition attribution, TimeRange range, CancellationToken ct = default);

    Task<JourneyResult> JourneyAsync(JourneyDefinition journey, TimeRange range, CancellationToken ct = default);
}
