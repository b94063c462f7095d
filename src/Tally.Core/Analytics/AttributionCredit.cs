namespace Tally.Core.Analytics;

/// <param name="Value">The credited touch's credit property value, or <c>(none)</c> when the touch lacks it.</param>
public sealed record AttributionCredit(string Value, long Conversions);
