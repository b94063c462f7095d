using System.Globalization;
using Tally.Core.Analytics;

namespace Tally.Core.Tests.Analytics.Reference;

public static class RefCounts
{
    public static CountsResult Run(IReadOnlyList<AnalyticsEvent> events, CountsQuery q)
    {
        var hour = q.Granularity == CountGranularity.Hour;
        string Label(DateTime t) => t.ToString(hour ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
        DateTime Floor(DateTime t) => hour ? new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc) : t.Date;
        var matching = events.Where(e => Ref.InRange(q.Range, e.TimestampMs) && (q.Event is null || q.Event == "*" || q.Event == e.Name)).ToList();
        var series = new List<CountPoint>();
        if (q.Range.To > q.Range.From)
        {
            var last = Floor(q.Range.To.UtcDateTime.AddTicks(-1));
            for (var b = Floor(q.Range.From.UtcDateTime); b <= last; b = hour ? b.AddHours(1) : b.AddDays(1))
            {
                var label = Label(b);
                series.Add(new CountPoint(label, matching.Where(e => Label(Floor(DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs).UtcDateTime)) == label).Sum(e => e.Count)));
            }
        }
        return new CountsResult(matching.Sum(e => e.Count), series);
    }
}
