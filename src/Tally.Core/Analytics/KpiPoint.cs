namespace Tally.Core.Analytics;

/// <param name="T">The bucket's first day, <c>2026-01-01</c> (UTC).</param>
/// <param name="Value">Null where the KPI is undefined for the bucket (a ratio over nothing).</param>
public sealed record KpiPoint(string T, double? Value);
