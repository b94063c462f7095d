using Tally.Core.Storage;

namespace Tally.Core.Analytics;

/// <summary>
/// The analytics view of aggregate-only events, which have no raw rows: one record per UTC day, name and dimensions
/// of one environment's roll-up, at the start of the day, with no actor, standing for the day's count and carrying the
/// dimensions as its properties. Rows counted from stored raw events (no dimensions) are left out: their raw rows
/// answer for them. Both stores answer KPIs over these records as well as over raw events, and the engines are given
/// the same records to compare with.
/// </summary>
public static class RollupEvents
{
    public static IReadOnlyList<AnalyticsEvent> From(IEnumerable<RollupRow> rows, string environment)
    {
        var sums = new SortedDictionary<(DateOnly Day, string Name, string Dimensions), long>(Comparer<(DateOnly, string, string)>.Create((x, y) =>
        {
            var c = x.Item1.CompareTo(y.Item1);
            if (c == 0) c = string.CompareOrdinal(x.Item2, y.Item2);
            return c != 0 ? c : string.CompareOrdinal(x.Item3, y.Item3);
        }));
        foreach (var r in rows)
        {
            if (r.Dimensions.Length == 0 || !string.Equals(r.Environment, environment, StringComparison.Ordinal)) continue;
            var key = (r.Day, r.Name, r.Dimensions);
            sums[key] = sums.GetValueOrDefault(key) + r.Count;
        }

        return sums.Select(s => Of(s.Key.Name, s.Key.Day, s.Key.Dimensions, s.Value)).ToList();
    }

    /// <summary>One roll-up row's record.</summary>
    public static AnalyticsEvent Of(string name, DateOnly day, string dimensions, long count) =>
        new(name, new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(), null, null, null,
            PropertyFlattener.Flatten(dimensions), count);
}
