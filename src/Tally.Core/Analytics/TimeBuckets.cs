using System.Globalization;

namespace Tally.Core.Analytics;

/// <summary>
/// UTC calendar buckets and their labels (<c>2026-01-01</c> for days, weeks and months, <c>2026-01-01T13:00</c>
/// for hours). Weeks start on Monday (ISO); a week or month is labelled with its first day.
/// </summary>
public static class TimeBuckets
{
    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;
    public const int MaxBuckets = 1_000_000;

    /// <summary>Start (Unix ms) of the bucket of <paramref name="period"/> (<c>hour</c>, <c>day</c>, <c>week</c>, <c>month</c>) holding the instant.</summary>
    public static long Floor(long timestampMs, string period)
    {
        switch (period)
        {
            case "hour": return FloorDiv(timestampMs, HourMs) * HourMs;
            case "day": return FloorDiv(timestampMs, DayMs) * DayMs;
            case "week":
                var day = FloorDiv(timestampMs, DayMs);
                // 1970-01-01 was a Thursday: (day + 3) mod 7 is days since Monday.
                return (day - Mod(day + 3, 7)) * DayMs;
            case "month":
                var d = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
                return new DateTimeOffset(d.Year, d.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            default: throw new ArgumentException($"unknown period '{period}' (hour, day, week or month)", nameof(period));
        }
    }

    /// <summary>Start of the bucket after the one starting at <paramref name="bucketStartMs"/>.</summary>
    public static long Next(long bucketStartMs, string period) => period switch
    {
        "hour" => bucketStartMs + HourMs,
        "day" => bucketStartMs + DayMs,
        "week" => bucketStartMs + 7 * DayMs,
        "month" => DateTimeOffset.FromUnixTimeMilliseconds(bucketStartMs).AddMonths(1).ToUnixTimeMilliseconds(),
        _ => throw new ArgumentException($"unknown period '{period}' (hour, day, week or month)", nameof(period)),
    };

    /// <summary>Every bucket the range touches, in order, partial ones at either end included; none for an empty range.</summary>
    public static List<long> Covering(TimeRange range, string period)
    {
        var result = new List<long>();
        long from = range.FromMs, to = range.ToMs;
        if (to <= from) return result;
        for (var b = Floor(from, period); b < to; b = Next(b, period))
        {
            // A dense series of a million buckets is a mistake (an "all time" range by the hour), not a chart.
            if (result.Count == MaxBuckets) throw new ArgumentException($"the range covers more than {MaxBuckets} {period} buckets", nameof(range));
            result.Add(b);
        }
        return result;
    }

    public static string Label(long bucketStartMs, string period)
    {
        var d = DateTimeOffset.FromUnixTimeMilliseconds(bucketStartMs).UtcDateTime;
        return period == "hour"
            ? d.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)
            : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long Mod(long a, long b) => ((a % b) + b) % b;
}
