using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Analytics.Reference;

/// <summary>Last-touch attribution straight from the definition: for each conversion, look at every event.</summary>
public static class RefAttribution
{
    public static AttributionResult Run(IReadOnlyList<AnalyticsEvent> events, IReadOnlyList<IdentityLink> links, AttributionDefinition a, TimeRange range)
    {
        var people = Ref.People(links);
        var window = Ref.Ms(a.Window);
        var rows = new List<(int Filter, long Count, string? Credit)>();
        foreach (var c in events)
        {
            if (!Ref.InRange(range, c.TimestampMs)) continue;
            var filter = -1;
            for (var i = a.Conversions.Count - 1; i >= 0; i--) if (Ref.Matches(a.Conversions[i], c)) filter = i;
            if (filter < 0) continue;
            var actor = Ref.Actor(c, a.Scope, people);
            (long Ts, string Value)? best = null;
            if (actor is not null)
            {
                foreach (var t in events)
                {
                    if (!Ref.Matches(a.Touch, t) || Ref.Actor(t, a.Scope, people) != actor) continue;
                    if (t.TimestampMs > c.TimestampMs || c.TimestampMs - t.TimestampMs > window) continue;
                    var value = t.Properties.TryGetValue(a.CreditProperty, out var v) && v is not null ? v : "(none)";
                    if (best is null || t.TimestampMs > best.Value.Ts || (t.TimestampMs == best.Value.Ts && string.CompareOrdinal(value, best.Value.Value) < 0))
                        best = (t.TimestampMs, value);
                }
            }
            rows.Add((filter, c.Count, best?.Value));
        }
        List<AttributionCredit> Credits(IEnumerable<(int Filter, long Count, string? Credit)> rs) => rs.Where(r => r.Credit is not null)
            .GroupBy(r => r.Credit!).Select(g => new AttributionCredit(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(c => c.Conversions).ThenBy(c => c.Value, StringComparer.Ordinal).ToList();
        long total = rows.Sum(r => r.Count), attributed = rows.Where(r => r.Credit is not null).Sum(r => r.Count);
        var by = a.Conversions.Select((f, i) =>
        {
            var rs = rows.Where(r => r.Filter == i).ToList();
            long t = rs.Sum(r => r.Count), at = rs.Where(r => r.Credit is not null).Sum(r => r.Count);
            return new AttributionByConversion(f.ToString(), t, at, t - at, Credits(rs));
        }).ToList();
        return new AttributionResult(a.Name, total, attributed, total - attributed, Credits(rows), by);
    }
}
