using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Analytics.Reference;

/// <summary>Funnels straight from the definition: an actor reaches level k iff some chain over the first k steps exists.</summary>
public static class RefFunnel
{
    public static FunnelResult Run(IReadOnlyList<AnalyticsEvent> events, IReadOnlyList<IdentityLink> links, FunnelQuery q)
    {
        var people = Ref.People(links);
        var window = Ref.Ms(q.Window);
        var n = q.Steps.Count;
        var counted = new List<(int Level, string Group, long[] Seconds)>();
        long after = 0, excluded = 0;
        foreach (var (_, evs) in Ref.ByActor(events, q.Unit, people))
        {
            var level = 0;
            for (var k = 1; k <= n; k++)
            {
                if (Ref.HasChain(evs, q.Steps.Take(k).ToList(), q.Range, window)) level = k;
            }
            if (level == 0) continue;
            var isExcluded = false;
            foreach (var x in q.Exclusions ?? [])
            {
                if (level < x.BeforeStep) continue;
                var rec = Record(evs, q.Steps.Take(x.BeforeStep).ToList(), q.Range, window);
                foreach (var e in evs)
                {
                    if (Ref.Matches(x.Filter, e) && e.TimestampMs > rec[x.AfterStep - 1] && e.TimestampMs < rec[x.BeforeStep - 1]) isExcluded = true;
                }
            }
            if (isExcluded) { excluded++; continue; }
            var seconds = new long[n + 1];
            for (var k = 2; k <= level; k++)
            {
                var rec = Record(evs, q.Steps.Take(k).ToList(), q.Range, window);
                seconds[k] = rec[k - 1] - rec[k - 2];
            }
            if (Record(evs, q.Steps.Take(level).ToList(), q.Range, window)[level - 1] >= q.Range.To.ToUnixTimeMilliseconds()) after++;
            string group = "";
            if (q.BreakdownBy is { } by)
            {
                var starts = evs.Where(e => Ref.Matches(q.Steps[0], e) && Ref.InRange(q.Range, e.TimestampMs)).ToList();
                var first = starts.Min(e => e.TimestampMs);
                group = starts.Where(e => e.TimestampMs == first)
                    .Select(e => e.Properties.TryGetValue(by, out var v) && v is not null ? v : "(none)")
                    .OrderBy(v => v, StringComparer.Ordinal).First();
            }
            counted.Add((level, group, seconds));
        }
        var breakdown = new List<FunnelBreakdownRow>();
        if (q.BreakdownBy is not null)
        {
            foreach (var g in counted.Select(c => c.Group).Distinct())
                breakdown.Add(new FunnelBreakdownRow(g, Steps(q, counted.Where(c => c.Group == g).ToList())));
            breakdown = breakdown.OrderByDescending(b => b.Steps[0].Actors).ThenBy(b => b.Value, StringComparer.Ordinal).ToList();
        }
        return new FunnelResult(Steps(q, counted), breakdown, after, excluded);
    }

    /// <summary>
    /// The chain of record over the given steps: the latest start, then the latest last-step event, then the latest
    /// event of each earlier step in turn (lexicographic maximum of (t1, tk, tk−1, …, t2)).
    /// </summary>
    public static long[] Record(List<AnalyticsEvent> evs, List<EventFilter> steps, TimeRange range, long window)
    {
        long[]? best = null;
        foreach (var c in Ref.Chains(evs, steps, range, window))
        {
            if (best is null || Better(c, best)) best = c;
        }
        return best!;
    }

    private static bool Better(long[] a, long[] b)
    {
        if (a[0] != b[0]) return a[0] > b[0];
        for (var j = a.Length - 1; j >= 1; j--) if (a[j] != b[j]) return a[j] > b[j];
        return false;
    }

    private static List<FunnelStepResult> Steps(FunnelQuery q, List<(int Level, string Group, long[] Seconds)> actors)
    {
        var result = new List<FunnelStepResult>();
        long first = actors.Count(a => a.Level >= 1);
        for (var k = 1; k <= q.Steps.Count; k++)
        {
            long at = actors.Count(a => a.Level >= k);
            long prev = k == 1 ? 0 : actors.Count(a => a.Level >= k - 1);
            var secs = actors.Where(a => a.Level >= k).Select(a => a.Seconds[k] / 1000.0).ToList();
            result.Add(new FunnelStepResult(q.Steps[k - 1].Event, q.Steps[k - 1].ToString(), at,
                k == 1 ? null : Ref.Div(at, prev), Ref.Div(at, first), k == 1 ? null : Ref.Median(secs)));
        }
        return result;
    }
}
