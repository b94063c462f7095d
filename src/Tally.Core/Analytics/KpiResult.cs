using Tally.Core.Plans;

namespace Tally.Core.Analytics;

/// <param name="Value">The KPI over the whole range; null where undefined (nothing to divide by, no values).</param>
/// <param name="Series">Daily values (per period for distinct actors); see docs/analytics.md for each kind.</param>
/// <param name="Groups">Per group_by values, ordered by key; empty without group_by.</param>
/// <param name="Note">The plan's note on the KPI, passed through for readers.</param>
public sealed record KpiResult(
    string Name,
    KpiKind Kind,
    double? Value,
    long? Numerator,
    long? Denominator,
    IReadOnlyList<KpiPoint> Series,
    IReadOnlyList<KpiGroup> Groups,
    string? Note = null);
