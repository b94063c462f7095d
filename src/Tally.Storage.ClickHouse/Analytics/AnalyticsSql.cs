using System.Globalization;
using Tally.Core.Analytics;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>SQL pieces every analytics query shares: time buckets, medians, windows, and reading numbers back.</summary>
internal static class AnalyticsSql
{
    /// <summary>"No such event": later than any timestamp plus any window, and still far from overflowing an Int64.</summary>
    public const string Never = "toInt64(4611686018427387904)";

    /// <summary>Whole milliseconds of a window, as <c>Stats.WindowMs</c> counts them.</summary>
    public static long WindowMs(TimeSpan window) => Math.Max(0, window.Ticks / TimeSpan.TicksPerMillisecond);

    /// <summary><c>a + b</c>, clamped to the long range as <c>Stats.AddSaturating</c> does.</summary>
    public static long AddSaturating(long a, long b)
    {
        var r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? long.MaxValue : long.MinValue) : r;
    }

    /// <summary>
    /// Start (unix ms) of the UTC bucket holding <paramref name="ms"/>, as <c>TimeBuckets.Floor</c> computes it: floor
    /// division for hours and days (ClickHouse's % keeps the dividend's sign), weeks from Monday, months by the calendar.
    /// </summary>
    public static string Floor(string ms, string period)
    {
        string FloorBy(long size) => $"({ms} - (({ms} % {size}) + {size}) % {size})";
        var day = FloorBy(TimeBuckets.DayMs);
        return period switch
        {
            "hour" => FloorBy(TimeBuckets.HourMs),
            "day" => day,
            // 1970-01-01 was a Thursday: (day number + 3) mod 7 is the days since Monday.
            "week" => $"({day} - (((intDiv({day}, {TimeBuckets.DayMs}) + 3) % 7) + 7) % 7 * {TimeBuckets.DayMs})",
            "month" => $"(toInt64(toUInt32(toStartOfMonth(toDateTime(intDiv({day}, 1000), 'UTC')))) * {TimeBuckets.DayMs})",
            _ => throw new ArgumentException($"unknown period '{period}' (hour, day, week or month)", nameof(period)),
        };
    }

    /// <summary>The middle value of a sorted Float64 array, or the mean of the two middle ones (0 when empty: read its length too).</summary>
    public static string Median(string sorted) =>
        $"if(length({sorted}) = 0, 0., if(length({sorted}) % 2 = 1, arrayElement({sorted}, intDiv(length({sorted}), 2) + 1), " +
        $"(arrayElement({sorted}, intDiv(length({sorted}), 2)) + arrayElement({sorted}, intDiv(length({sorted}), 2) + 1)) / 2))";

    public static string Int64(long value) => SqlLiteral.Int64(value);

    /// <summary>A Float64 as ClickHouse prints it in TabSeparated (shortest round-trip form), read back exactly.</summary>
    public static double Double(string field) => field switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        _ => double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static long Long(string field) => TabSeparated.Int64(field);

    /// <summary>Index of each bucket start of <paramref name="buckets"/>, to place the rows a query returns per bucket.</summary>
    public static Dictionary<long, int> Index(List<long> buckets)
    {
        var index = new Dictionary<long, int>(buckets.Count);
        for (var i = 0; i < buckets.Count; i++)
        {
            index[buckets[i]] = i;
        }

        return index;
    }
}
