namespace Tally.Core.Analytics;

/// <param name="Breakdown">One row per breakdown value, most step-1 actors first; empty without a breakdown.</param>
/// <param name="CompletesAfterRangeEnd">
/// Counted actors whose chain of record reached their level with an event at or after the range end: these
/// figures can still grow for a range that ends now, and a range ending earlier already includes them.
/// </param>
/// <param name="Excluded">Actors left out by the funnel's exclusions.</param>
public sealed record FunnelResult(
    IReadOnlyList<FunnelStepResult> Steps,
    IReadOnlyList<FunnelBreakdownRow> Breakdown,
    long CompletesAfterRangeEnd,
    long Excluded = 0);
