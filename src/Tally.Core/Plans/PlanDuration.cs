using System.Globalization;

namespace Tally.Core.Plans;

/// <summary>
/// Durations as plans write them: <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>14d</c>, <c>2w</c>, <c>6mo</c>, <c>2y</c>, or <c>forever</c>.
/// A month counts as 30 days and a year as 365 days: retention is a policy, not a calendar.
/// </summary>
public static class PlanDuration
{
    /// <summary>Stands for <c>forever</c>: never expires.</summary>
    public static readonly TimeSpan Forever = TimeSpan.MaxValue;

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().ToLowerInvariant();
        if (s is "forever" or "indefinite" or "indefinitely")
        {
            value = Forever;
            return true;
        }
        int i = 0;
        while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
        if (i == 0 || !double.TryParse(s.AsSpan(0, i), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0) return false;
        var unit = s[i..].Trim();
        double? days = unit switch
        {
            "ms" => n / 86_400_000d,
            "s" or "sec" or "second" or "seconds" => n / 86_400d,
            "m" or "min" or "minute" or "minutes" => n / 1_440d,
            "h" or "hour" or "hours" => n / 24d,
            "d" or "day" or "days" => n,
            "w" or "week" or "weeks" => n * 7,
            "mo" or "month" or "months" => n * 30,
            "y" or "year" or "years" => n * 365,
            _ => null,
        };
        if (days is null) return false;
        value = TimeSpan.FromMilliseconds(Math.Round(days.Value * 86_400_000d));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a duration (e.g. 30m, 24h, 14d, 2y, forever)");

    public static string Format(TimeSpan value)
    {
        if (value == Forever) return "forever";
        if (value.TotalDays >= 365 && value.TotalDays % 365 == 0) return $"{value.TotalDays / 365:0}y";
        if (value.TotalDays >= 1 && value.TotalDays % 1 == 0) return $"{value.TotalDays:0}d";
        if (value.TotalHours >= 1 && value.TotalHours % 1 == 0) return $"{value.TotalHours:0}h";
        if (value.TotalMinutes >= 1 && value.TotalMinutes % 1 == 0) return $"{value.TotalMinutes:0}m";
        return $"{value.TotalSeconds:0.###}s";
    }
}
