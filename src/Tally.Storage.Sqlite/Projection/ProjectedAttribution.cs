using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// Last-touch attribution straight from the projection's columns, with <see cref="AttributionEngine"/>'s rules
/// (docs/analytics.md): a conversion in the range (the first of the rule's conversion filters it matches) goes to
/// the latest touch of the same scope actor at or before it and within the window; at one instant the
/// ordinal-smallest credited value wins; a conversion without an actor or touch is unattributed. Touches are
/// grouped by actor with a counting sort, so no dictionary of actors or list per actor is built.
/// </summary>
internal static class ProjectedAttribution
{
    /// <summary>Conversion filters beyond this go to the engine path (a row's matches are a 32-bit mask).</summary>
    public const int MaxConversions = 32;

    private readonly struct Touch(long ts, string value)
    {
        public long Ts { get; } = ts;
        public string Value { get; } = value;
    }

    /// <summary>Time order, and at one instant the ordinal-smallest value last, as the engine sorts.</summary>
    private sealed class TouchOrder : IComparer<Touch>
    {
        public static readonly TouchOrder Instance = new();

        public int Compare(Touch x, Touch y) => x.Ts != y.Ts ? x.Ts.CompareTo(y.Ts) : string.CompareOrdinal(y.Value, x.Value);
    }

    public static AttributionResult Run(ProjectionView view, string environment, AttributionDefinition attribution, TimeRange range, IdentityGraph identities, CancellationToken ct)
    {
        if (attribution.Scope == CountingUnit.Event) throw new ArgumentException("attribution needs a scope actor: session, user or anonymous", nameof(attribution));
        var conversions = attribution.Conversions;
        var windowMs = Math.Max(0, attribution.Window.Ticks / TimeSpan.TicksPerMillisecond);
        long from = range.FromMs, to = range.ToMs;
        var earliestTouch = ProjectedFunnel.Add(from, -windowMs);
        var actors = new ActorCodes(attribution.Scope, view.Ids, identities);

        IReadOnlyList<string>? names = [.. conversions.Select(c => c.Event).Append(attribution.Touch.Event).Distinct(StringComparer.Ordinal)];
        if (names.Contains(EventFilter.AnyEvent)) names = null;

        var touchActors = new List<int>();
        var touches = new List<Touch>();
        var found = new List<(long Ts, long Count, int Actor, int Filter)>();
        foreach (var p in view.Partitions(environment, names))
        {
            ct.ThrowIfCancellationRequested();
            var touchFilter = ProjectedFunnel.Compile(p, [attribution.Touch]);
            var conversionFilters = ProjectedFunnel.Compile(p, conversions);
            if (touchFilter.Length == 0 && conversionFilters.Length == 0) continue;
            int[]? creditRows = null;
            PropertyColumn? credit = null;
            if (touchFilter.Length > 0 && p.Column(attribution.CreditProperty) is { } column)
            {
                if (column.Dropped) throw new ProjectionMissException(attribution.CreditProperty);
                credit = column;
                creditRows = column.Rows;
            }

            var ts = p.Timestamps;
            var counts = p.Counts;
            int[] sessions = p.Sessions, anonymous = p.Anonymous, users = p.Users;
            for (var i = 0; i < p.Length; i++)
            {
                var t = ts[i];
                if (t < earliestTouch || t >= to) continue;
                var converted = t >= from ? ProjectedFunnel.Matches(conversionFilters, i) : 0u;
                var isTouch = touchFilter.Length > 0 && ProjectedFunnel.Matches(touchFilter, i) != 0;
                if (converted == 0 && !isTouch) continue;
                var actor = actors.Of(sessions[i], anonymous[i], users[i]);
                if (converted != 0) found.Add((t, counts[i], actor, System.Numerics.BitOperations.TrailingZeroCount(converted)));
                if (isTouch && actor >= 0)
                {
                    var code = creditRows is null ? PropertyColumn.Missing : creditRows[i];
                    touchActors.Add(actor);
                    touches.Add(new Touch(t, code >= PropertyColumn.FirstValue ? credit!.Value(code) : AttributionEngine.NoValue));
                }
            }
        }

        // Touches grouped by actor (counting sort), each actor's in the engine's order.
        var actorCount = actors.Count;
        var offsets = new int[actorCount + 1];
        foreach (var a in touchActors) offsets[a + 1]++;
        for (var a = 0; a < actorCount; a++) offsets[a + 1] += offsets[a];
        var fill = (int[])offsets.Clone();
        var sorted = new Touch[touches.Count];
        for (var i = 0; i < touches.Count; i++) sorted[fill[touchActors[i]]++] = touches[i];
        for (var a = 0; a < actorCount; a++)
        {
            if (offsets[a + 1] - offsets[a] > 1) Array.Sort(sorted, offsets[a], offsets[a + 1] - offsets[a], TouchOrder.Instance);
        }

        var total = new AttributionTotals();
        var byFilter = conversions.Select(_ => new AttributionTotals()).ToArray();
        foreach (var (t, count, actor, filter) in found)
        {
            string? value = null;
            if (actor >= 0 && actor < actorCount)
            {
                var at = LastAtOrBefore(sorted, offsets[actor], offsets[actor + 1], t);
                if (at >= 0 && t - sorted[at].Ts <= windowMs) value = sorted[at].Value;
            }
            total.Add(count, value);
            byFilter[filter].Add(count, value);
        }
        return new AttributionResult(attribution.Name, total.Conversions, total.Attributed, total.Conversions - total.Attributed, total.Credits(),
            byFilter.Select((x, i) => new AttributionByConversion(conversions[i].ToString(), x.Conversions, x.Attributed, x.Conversions - x.Attributed, x.Credits())).ToList());
    }

    private static int LastAtOrBefore(Touch[] touches, int lo, int end, long ts)
    {
        int hi = end - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (touches[mid].Ts <= ts) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }
}
