using Tally.Core.Plans;

using System.Runtime.InteropServices;

namespace Tally.Core.Analytics;

/// <summary>
/// Funnels over raw events (docs/analytics.md, "Funnels"). Events are grouped by actor with a counting sort into
/// flat arrays and each actor's slice is sorted by time, so the per-actor work allocates nothing.
/// </summary>
public static class FunnelEngine
{
    public const string NoValue = "(none)";

    private struct Row
    {
        public int Actor;
        public uint Steps;
        public uint Exclusions;
        public int Breakdown;
    }

    public static FunnelResult Run(IEnumerable<AnalyticsEvent> events, IdentityGraph identities, FunnelQuery query)
    {
        Validate(query);
        var exclusions = query.Exclusions ?? [];
        var steps = query.Steps.Select(f => new EventMatcher(f)).ToArray();
        var excluded = exclusions.Select(x => new EventMatcher(x.Filter)).ToArray();
        var windowMs = Stats.WindowMs(query.Window);
        long from = query.Range.FromMs, to = query.Range.ToMs;
        // Nothing after the last possible step event matters, and exclusions only count between two chain events.
        var horizon = Stats.AddSaturating(to, windowMs);

        var actorIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var breakdownIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var breakdownValues = new List<string>();
        var actorsOf = new List<int>();
        var times = new List<long>();
        var stepMasks = new List<uint>();
        var exclusionMasks = new List<uint>();
        var breakdowns = new List<int>();

        foreach (var e in events)
        {
            var ts = e.TimestampMs;
            if (ts < from || ts > horizon) continue;
            uint mask = 0;
            for (var j = 0; j < steps.Length; j++) if (steps[j].Matches(e)) mask |= 1u << j;
            if (ts >= to) mask &= ~1u;
            uint ex = 0;
            for (var x = 0; x < excluded.Length; x++) if (excluded[x].Matches(e)) ex |= 1u << x;
            if (mask == 0 && ex == 0) continue;
            var key = identities.ActorKey(e, query.Unit);
            if (key is null) continue;
            if (!actorIndex.TryGetValue(key, out var actor)) actorIndex[key] = actor = actorIndex.Count;
            var bd = -1;
            if (query.BreakdownBy is { } by && (mask & 1) != 0)
            {
                var value = e.Property(by) ?? NoValue;
                if (!breakdownIndex.TryGetValue(value, out bd))
                {
                    breakdownIndex[value] = bd = breakdownValues.Count;
                    breakdownValues.Add(value);
                }
            }
            actorsOf.Add(actor);
            times.Add(ts);
            stepMasks.Add(mask);
            exclusionMasks.Add(ex);
            breakdowns.Add(bd);
        }

        return Run(query, actorIndex.Count, AsSpan(actorsOf), AsSpan(times), AsSpan(stepMasks), AsSpan(exclusionMasks), AsSpan(breakdowns), breakdownValues);
    }

    /// <summary>Throws for a query no funnel can answer (step count, unit, exclusions out of place).</summary>
    public static void Validate(FunnelQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var n = query.Steps.Count;
        if (n is < 1 or > 32) throw new ArgumentException("a funnel has 1 to 32 steps", nameof(query));
        if (query.Unit == CountingUnit.Event) throw new ArgumentException("a funnel counts sessions, users or anonymous ids, not events", nameof(query));
        var exclusions = query.Exclusions ?? [];
        if (exclusions.Count > 32) throw new ArgumentException("at most 32 exclusions", nameof(query));
        foreach (var x in exclusions)
        {
            if (x.AfterStep < 1 || x.BeforeStep > n || x.AfterStep >= x.BeforeStep)
                throw new ArgumentException($"exclusion {x.Filter} must lie between two steps (1 <= after < before <= {n})", nameof(query));
        }
    }

    /// <summary>
    /// The funnel over events already reduced to columns, for stores that keep events column by column (the SQLite
    /// store's projection): row i is an event of actor <paramref name="actors"/>[i] (0 ≤ actor &lt; <paramref name="actorCount"/>,
    /// codes need not be dense) at <paramref name="timestamps"/>[i], bit j of <paramref name="steps"/>[i] set when it
    /// matches step j+1 — with bit 0 already cleared at or after the range end — and bit x of
    /// <paramref name="exclusions"/>[i] when it matches exclusion x; <paramref name="breakdownOf"/>[i] indexes
    /// <paramref name="breakdownValues"/> for step-1 rows when the query has a breakdown. Rows outside
    /// [range start, range end + window] or matching nothing must be left out, as <see cref="Run(IEnumerable{AnalyticsEvent}, IdentityGraph, FunnelQuery)"/> does.
    /// Row order does not matter.
    /// </summary>
    public static FunnelResult Run(FunnelQuery query, int actorCount, ReadOnlySpan<int> actors, ReadOnlySpan<long> timestamps,
        ReadOnlySpan<uint> steps, ReadOnlySpan<uint> exclusions, ReadOnlySpan<int> breakdownOf, IReadOnlyList<string> breakdownValues)
    {
        Validate(query);
        var n = query.Steps.Count;
        var exclusionDefinitions = query.Exclusions ?? [];
        var windowMs = Stats.WindowMs(query.Window);
        var to = query.Range.ToMs;
        var count = actors.Length;
        var hasBreakdown = query.BreakdownBy is not null;

        // Counting sort by actor, then each actor's slice by time.
        var offsets = new int[actorCount + 1];
        foreach (var actor in actors) offsets[actor + 1]++;
        for (var a = 0; a < actorCount; a++) offsets[a + 1] += offsets[a];
        var fill = (int[])offsets.Clone();
        var ts2 = new long[count];
        var masks = new uint[count];
        var sorted = new Row[count];
        for (var i = 0; i < count; i++)
        {
            var at = fill[actors[i]]++;
            sorted[at] = new Row { Actor = actors[i], Steps = steps[i], Exclusions = exclusions[i], Breakdown = hasBreakdown ? breakdownOf[i] : -1 };
            ts2[at] = timestamps[i];
        }
        for (var a = 0; a < actorCount; a++)
        {
            var length = offsets[a + 1] - offsets[a];
            if (length > 1) SortByTime(ts2, sorted, offsets[a], length);
        }
        for (var i = 0; i < sorted.Length; i++) masks[i] = sorted[i].Steps;

        var funnel = new WindowFunnel(n, windowMs);
        var total = new LevelTally(n);
        var groups = query.BreakdownBy is null ? null : new LevelTally?[breakdownValues.Count];
        long completesAfter = 0, excludedActors = 0;
        for (var a = 0; a < actorCount; a++)
        {
            int start = offsets[a], length = offsets[a + 1] - start;
            var level = funnel.Run(ts2.AsSpan(start, length), masks.AsSpan(start, length));
            if (level == 0) continue;
            if (IsExcluded(funnel, level, exclusionDefinitions, ts2.AsSpan(start, length), sorted.AsSpan(start, length)))
            {
                excludedActors++;
                continue;
            }
            if (funnel.ChainTimestamp(level, level) >= to) completesAfter++;
            total.Add(funnel, level);
            if (groups is not null)
            {
                var g = FirstStartValue(ts2.AsSpan(start, length), sorted.AsSpan(start, length), breakdownValues);
                (groups[g] ??= new LevelTally(n)).Add(funnel, level);
            }
        }

        var breakdown = new List<FunnelBreakdownRow>();
        if (groups is not null)
        {
            for (var g = 0; g < groups.Length; g++)
            {
                if (groups[g] is { } t) breakdown.Add(new FunnelBreakdownRow(breakdownValues[g], t.Results(query.Steps)));
            }
            breakdown.Sort((x, y) => x.Steps[0].Actors != y.Steps[0].Actors
                ? y.Steps[0].Actors.CompareTo(x.Steps[0].Actors)
                : string.CompareOrdinal(x.Value, y.Value));
        }
        return new FunnelResult(total.Results(query.Steps), breakdown, completesAfter, excludedActors);
    }

    /// <summary>An exclusion (a, b) drops an actor who reached step b and did the excluded event strictly between the a and b events of the chain of record of step b.</summary>
    private static bool IsExcluded(WindowFunnel funnel, int level, IReadOnlyList<ExclusionDefinition> exclusions, ReadOnlySpan<long> ts, ReadOnlySpan<Row> rows)
    {
        for (var x = 0; x < exclusions.Count; x++)
        {
            var ex = exclusions[x];
            if (level < ex.BeforeStep) continue;
            long after = funnel.ChainTimestamp(ex.BeforeStep, ex.AfterStep), before = funnel.ChainTimestamp(ex.BeforeStep, ex.BeforeStep);
            var bit = 1u << x;
            for (var i = 0; i < ts.Length && ts[i] < before; i++)
            {
                if (ts[i] > after && (rows[i].Exclusions & bit) != 0) return true;
            }
        }
        return false;
    }

    /// <summary>The breakdown value of the earliest in-range step-1 event; at one instant, the ordinal-smallest value.</summary>
    private static int FirstStartValue(ReadOnlySpan<long> ts, ReadOnlySpan<Row> rows, IReadOnlyList<string> values)
    {
        var best = -1;
        long first = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if ((rows[i].Steps & 1) == 0) continue;
            if (best >= 0 && ts[i] > first) break;
            if (best < 0 || string.CompareOrdinal(values[rows[i].Breakdown], values[best]) < 0) best = rows[i].Breakdown;
            first = ts[i];
        }
        return best;
    }

    /// <summary>Actors per level and the step-to-step times of the actors counted.</summary>
    private sealed class LevelTally(int steps)
    {
        private readonly long[] _reached = new long[steps + 1];
        private readonly List<double>[] _seconds = Enumerable.Range(0, steps).Select(_ => new List<double>()).ToArray();

        public void Add(WindowFunnel funnel, int level)
        {
            _reached[level]++;
            for (var k = 2; k <= level; k++)
                _seconds[k - 1].Add((funnel.ChainTimestamp(k, k) - funnel.ChainTimestamp(k, k - 1)) / 1000.0);
        }

        public List<FunnelStepResult> Results(IReadOnlyList<EventFilter> filters)
        {
            var n = filters.Count;
            var atLeast = new long[n + 1];
            for (var k = n; k >= 1; k--) atLeast[k] = _reached[k] + (k < n ? atLeast[k + 1] : 0);
            var result = new List<FunnelStepResult>(n);
            for (var k = 1; k <= n; k++)
            {
                result.Add(new FunnelStepResult(
                    filters[k - 1].Event,
                    filters[k - 1].ToString(),
                    atLeast[k],
                    k == 1 ? null : Stats.Ratio(atLeast[k], atLeast[k - 1]),
                    Stats.Ratio(atLeast[k], atLeast[1]),
                    k == 1 ? null : Stats.Median(_seconds[k - 1])));
            }
            return result;
        }
    }

    /// <summary>
    /// Sorts one actor's slice by time. Most actors have a handful of events, for which an insertion sort beats
    /// Array.Sort's per-call cost; the order of events at one instant does not matter (see WindowFunnel).
    /// </summary>
    private static void SortByTime(long[] ts, Row[] rows, int start, int length)
    {
        if (length > 16)
        {
            Array.Sort(ts, rows, start, length);
            return;
        }
        var end = start + length;
        for (var i = start + 1; i < end; i++)
        {
            var t = ts[i];
            if (t >= ts[i - 1]) continue;
            var r = rows[i];
            var j = i - 1;
            while (j >= start && ts[j] > t)
            {
                ts[j + 1] = ts[j];
                rows[j + 1] = rows[j];
                j--;
            }
            ts[j + 1] = t;
            rows[j + 1] = r;
        }
    }

    private static ReadOnlySpan<T> AsSpan<T>(List<T> list) => CollectionsMarshal.AsSpan(list);
}
