using Tally.Core.Plans;

namespace Tally.Core.Analytics;

/// <summary>
/// A funnel to compute: see docs/analytics.md for the exact semantics (ClickHouse <c>windowFunnel</c>, default mode).
/// </summary>
/// <param name="Window">Time allowed from the step-1 event to the last step's event, inclusive.</param>
/// <param name="Range">Chains count only when their step-1 event lies in it; later steps may follow after its end.</param>
/// <param name="BreakdownBy">Property of the actor's first in-range step-1 event to split the funnel by.</param>
public sealed record FunnelQuery(
    IReadOnlyList<EventFilter> Steps,
    TimeSpan Window,
    CountingUnit Unit,
    TimeRange Range,
    string? BreakdownBy = null,
    IReadOnlyList<ExclusionDefinition>? Exclusions = null)
{
    public static FunnelQuery From(FunnelDefinition funnel, TimeRange range) =>
        new(funnel.Steps.Select(s => s.Filter).ToList(), funnel.Window, funnel.Unit, range, funnel.BreakdownBy, funnel.Exclusions);
}
