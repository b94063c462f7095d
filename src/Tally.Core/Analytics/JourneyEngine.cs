using Tally.Core.Plans;

namespace Tally.Core.Analytics;

/// <summary>
/// Journeys (docs/analytics.md, "Journeys"): the required steps form a window funnel; an optional step counts as
/// reached when it follows the previous required step within the window and, for actors who went on to the next
/// required step, comes before it.
/// </summary>
public static class JourneyEngine
{
    public static JourneyResult Run(IEnumerable<AnalyticsEvent> events, IdentityGraph identities, JourneyDefinition journey, TimeRange range)
    {
        var steps = journey.Steps;
        var n = steps.Count;
        if (n is < 1 or > 32) throw new ArgumentException("a journey has 1 to 32 steps", nameof(journey));
        if (journey.Unit == CountingUnit.Event) throw new ArgumentException("a journey follows sessions, users or anonymous ids, not events", nameof(journey));
        var matchers = steps.Select(s => new EventMatcher(s.Filter)).ToArray();
        var windowMs = Stats.WindowMs(journey.Window);
        long from = range.FromMs, to = range.ToMs, horizon = Stats.AddSaturating(to, windowMs);

        // The first step starts the journey, so it is required even if the plan marks it optional.
        var required = Enumerable.Range(0, n).Where(j => j == 0 || !steps[j].Optional).ToArray();
        var position = new int[n];
        for (int j = 0, p = -1; j < n; j++)
        {
            if (j == 0 || !steps[j].Optional) p++;
            position[j] = p;
        }
        // Sub-funnels: the required steps, and for each optional step o after required position p:
        // required[0..p] + o, and required[0..p] + o + the next required step.
        var requiredFunnel = new WindowFunnel(required.Length, windowMs);
        var optional = new List<(int Step, int[] Before, int[] Between, WindowFunnel Reach, WindowFunnel? Bounded)>();
        for (var j = 1; j < n; j++)
        {
            if (!steps[j].Optional) continue;
            var p = position[j];
            int[] before = [.. required[..(p + 1)], j];
            int[]? between = p + 1 < required.Length ? [.. before, required[p + 1]] : null;
            optional.Add((j, before, between ?? [], new WindowFunnel(before.Length, windowMs), between is null ? null : new WindowFunnel(between.Length, windowMs)));
        }

        var byActor = new Dictionary<string, List<(long Ts, uint Mask)>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var ts = e.TimestampMs;
            if (ts < from || ts > horizon) continue;
            uint mask = 0;
            for (var j = 0; j < n; j++) if (matchers[j].Matches(e)) mask |= 1u << j;
            if (ts >= to) mask &= ~1u;
            if (mask == 0) continue;
            if (identities.ActorKey(e, journey.Unit) is not { } actor) continue;
            if (!byActor.TryGetValue(actor, out var l)) byActor[actor] = l = [];
            l.Add((ts, mask));
        }

        var reached = new long[n];
        long completed = 0;
        var times = new List<long>();
        var masks = new List<uint>();
        foreach (var l in byActor.Values)
        {
            l.Sort((x, y) => x.Ts.CompareTo(y.Ts));
            times.Clear();
            foreach (var (ts, _) in l) times.Add(ts);
            var level = Level(requiredFunnel, l, required, times, masks);
            if (level == 0) continue;
            for (var r = 0; r < level; r++) reached[required[r]]++;
            if (level == required.Length) completed++;
            foreach (var (step, before, between, reach, bounded) in optional)
            {
                var p = position[step];
                if (Level(reach, l, before, times, masks) < before.Length) continue;
                var wentOn = level >= p + 2;
                if (wentOn && Level(bounded!, l, between, times, masks) < between.Length) continue;
                reached[step]++;
            }
        }
        var results = steps.Select((s, j) => new JourneyStepResult(s.Filter.ToString(), j != 0 && s.Optional, reached[j])).ToList();
        return new JourneyResult(journey.Name, reached[0], completed, results);
    }

    /// <summary>Level of a sub-funnel whose step i is journey step <paramref name="stepsOf"/>[i].</summary>
    private static int Level(WindowFunnel funnel, List<(long Ts, uint Mask)> events, int[] stepsOf, List<long> times, List<uint> masks)
    {
        masks.Clear();
        foreach (var (_, mask) in events)
        {
            uint m = 0;
            for (var i = 0; i < stepsOf.Length; i++) if ((mask & (1u << stepsOf[i])) != 0) m |= 1u << i;
            masks.Add(m);
        }
        return funnel.Run(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(times), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(masks));
    }
}
