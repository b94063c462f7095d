namespace Tally.Core.Analytics;

/// <param name="Key">Readable key, <c>endpoint=/events, status_code=500</c>.</param>
/// <param name="Values">The group-by values in the KPI's group_by order; <c>(none)</c> for a missing value, <c>*</c> for a key the side that made the group never carries.</param>
public sealed record KpiGroup(string Key, IReadOnlyList<string> Values, double? Value, long? Numerator = null, long? Denominator = null);
