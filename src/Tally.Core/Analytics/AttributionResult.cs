namespace Tally.Core.Analytics;

/// <param name="Credits">Conversions per credited value, most first.</param>
/// <param name="ByConversionEvent">The same per conversion filter, in the plan's order.</param>
public sealed record AttributionResult(
    string Name,
    long Conversions,
    long Attributed,
    long Unattributed,
    IReadOnlyList<AttributionCredit> Credits,
    IReadOnlyList<AttributionByConversion> ByConversionEvent);
