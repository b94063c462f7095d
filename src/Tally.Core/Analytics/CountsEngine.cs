namespace Tally.Core.Analytics;

/// <summary>Occurrences (the sum of <see cref="AnalyticsEvent.Count"/>) per UTC day or hour of the range.</summary>
public static class CountsEngine
{
    public static CountsResult Run(IEnumerable<AnalyticsEvent> events, CountsQuery query)
    {
        var period = query.Granularity == CountGranularity.Hour ? "hour" : "day";
        var buckets = TimeBuckets.Covering(query.Range, period);
        var counts = new long[buckets.Count];
        long total = 0;
        foreach (var e in events)
        {
            if (!query.Range.Contains(e.TimestampMs)) continue;
            if (query.Event is { } name && name != Plans.EventFilter.AnyEvent && !string.Equals(name, e.Name, StringComparison.Ordinal)) continue;
            total += e.Count;
            counts[buckets.BinarySearch(TimeBuckets.Floor(e.TimestampMs, period))] += e.Count;
        }
        var series = new CountPoint[buckets.Count];
        for (var i = 0; i < buckets.Count; i++) series[i] = new CountPoint(TimeBuckets.Label(buckets[i], period), counts[i]);
        return new CountsResult(total, series);
    }
}
