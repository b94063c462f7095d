using Tally.Core.Plans;

namespace Tally.Core.Analytics;

/// <summary>
/// Last-touch attribution (docs/analytics.md, "Attribution"): each conversion in the range goes to the latest
/// touch of the same scope actor at or before it and no more than the window earlier.
/// </summary>
public static class AttributionEngine
{
    public const string NoValue = "(none)";

    public static AttributionResult Run(IEnumerable<AnalyticsEvent> events, IdentityGraph identities, AttributionDefinition attribution, TimeRange range)
    {
        if (attribution.Scope == CountingUnit.Event) throw new ArgumentException("attribution needs a scope actor: session, user or anonymous", nameof(attribution));
        var touch = new EventMatcher(attribution.Touch);
        var conversions = attribution.Conversions.Select(c => new EventMatcher(c)).ToArray();
        var windowMs = Stats.WindowMs(attribution.Window);
        var earliestTouch = Stats.AddSaturating(range.FromMs, -windowMs);

        var touches = new Dictionary<string, List<(long Ts, string Value)>>(StringComparer.Ordinal);
        var found = new List<(long Ts, long Count, string? Actor, int Filter)>();
        foreach (var e in events)
        {
            var ts = e.TimestampMs;
            if (ts < earliestTouch || ts >= range.ToMs) continue;
            var filter = -1;
            if (range.Contains(ts))
            {
                for (var c = 0; c < conversions.Length; c++)
                {
                    if (conversions[c].Matches(e)) { filter = c; break; }
                }
            }
            var isTouch = touch.Matches(e);
            if (filter < 0 && !isTouch) continue;
            var actor = identities.ActorKey(e, attribution.Scope);
            if (filter >= 0) found.Add((ts, e.Count, actor, filter));
            if (isTouch && actor is not null)
            {
                if (!touches.TryGetValue(actor, out var l)) touches[actor] = l = [];
                l.Add((ts, e.Property(attribution.CreditProperty) ?? NoValue));
            }
        }
        // Time order, and at one instant the ordinal-smallest value last, so a binary search for the latest
        // touch at or before a conversion lands on it.
        foreach (var l in touches.Values) l.Sort((x, y) => x.Ts != y.Ts ? x.Ts.CompareTo(y.Ts) : string.CompareOrdinal(y.Value, x.Value));

        var total = new AttributionTotals();
        var byFilter = conversions.Select(_ => new AttributionTotals()).ToArray();
        foreach (var (ts, count, actor, filter) in found)
        {
            string? credit = null;
            if (actor is not null && touches.TryGetValue(actor, out var l))
            {
                var at = LastAtOrBefore(l, ts);
                if (at >= 0 && ts - l[at].Ts <= windowMs) credit = l[at].Value;
            }
            total.Add(count, credit);
            byFilter[filter].Add(count, credit);
        }
        return new AttributionResult(attribution.Name, total.Conversions, total.Attributed, total.Conversions - total.Attributed, total.Credits(),
            byFilter.Select((t, i) => new AttributionByConversion(attribution.Conversions[i].ToString(), t.Conversions, t.Attributed, t.Conversions - t.Attributed, t.Credits())).ToList());
    }

    private static int LastAtOrBefore(List<(long Ts, string Value)> touches, long ts)
    {
        int lo = 0, hi = touches.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (touches[mid].Ts <= ts) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }
}
