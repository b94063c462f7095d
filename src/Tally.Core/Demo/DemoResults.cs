using Tally.Core.Analytics;

namespace Tally.Core.Demo;

/// <summary>Everything a plan declares, computed over one demo run: its funnels, KPIs, attributions and journeys.</summary>
/// <param name="Failures">Definitions an engine refused (an invalid KPI, say), with the reason; the others are still computed.</param>
public sealed record DemoResults(
    TimeRange Range,
    IReadOnlyList<NamedFunnelResult> Funnels,
    IReadOnlyList<KpiResult> Kpis,
    IReadOnlyList<AttributionResult> Attributions,
    IReadOnlyList<JourneyResult> Journeys,
    IReadOnlyList<string> Failures);

/// <summary>A funnel's result under the name the plan gives it.</summary>
public sealed record NamedFunnelResult(string Name, string? BreakdownBy, FunnelResult Result);
