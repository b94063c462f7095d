namespace Tally.Core.Analytics;

/// <param name="Value">The breakdown property's value on the actors' first in-range step-1 event, or <c>(none)</c>.</param>
public sealed record FunnelBreakdownRow(string Value, IReadOnlyList<FunnelStepResult> Steps);
