namespace Tally.Core.Analytics;

/// <param name="Conversion">The conversion filter as written; an event matching several counts under the first.</param>
public sealed record AttributionByConversion(
    string Conversion,
    long Conversions,
    long Attributed,
    long Unattributed,
    IReadOnlyList<AttributionCredit> Credits);
