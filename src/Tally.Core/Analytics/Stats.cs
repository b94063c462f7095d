using System.Globalization;

namespace Tally.Core.Analytics;

internal static class Stats
{
    /// <summary>The middle value, or the mean of the two middle values; sorts the list in place. Null when empty.</summary>
    public static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    public static double? Ratio(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;

    /// <summary>A property as a finite number (invariant culture); null for missing or non-numeric text.</summary>
    public static double? Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    /// <summary>Whole milliseconds of a window (<c>forever</c> is about 29,000 years, which still adds to a timestamp safely).</summary>
    public static long WindowMs(TimeSpan window) => Math.Max(0, window.Ticks / TimeSpan.TicksPerMillisecond);

    public static long AddSaturating(long a, long b)
    {
        var r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? long.MaxValue : long.MinValue) : r;
    }
}
