using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// A funnel straight from the projection's columns: each step and exclusion filter is compiled per partition into
/// (property column, value code) pairs, so matching a row compares ints, and the rows that match go to the column
/// form of <see cref="FunnelEngine"/> — the same window-funnel code the row path ends in.
/// </summary>
internal static class ProjectedFunnel
{
    public static FunnelResult Run(ProjectionView view, string environment, FunnelQuery query, IdentityGraph identities, CancellationToken ct)
    {
        FunnelEngine.Validate(query);
        var steps = query.Steps;
        var exclusions = query.Exclusions ?? [];
        long from = query.Range.FromMs, to = query.Range.ToMs;
        var horizon = Add(to, Math.Max(0, query.Window.Ticks / TimeSpan.TicksPerMillisecond));
        var actors = new ActorCodes(query.Unit, view.Ids, identities);

        IReadOnlyList<string>? names = [.. steps.Select(s => s.Event).Concat(exclusions.Select(x => x.Filter.Event)).Distinct(StringComparer.Ordinal)];
        if (names.Contains(EventFilter.AnyEvent)) names = null;

        var breakdownValues = new List<string>();
        var breakdownIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int Breakdown(string value)
        {
            if (!breakdownIndex.TryGetValue(value, out var b))
            {
                breakdownIndex[value] = b = breakdownValues.Count;
                breakdownValues.Add(value);
            }
            return b;
        }

        var rowActors = new List<int>();
        var rowTimes = new List<long>();
        var rowSteps = new List<uint>();
        var rowExclusions = new List<uint>();
        var rowBreakdowns = new List<int>();
        foreach (var p in view.Partitions(environment, names))
        {
            ct.ThrowIfCancellationRequested();
            var stepFilters = Compile(p, steps);
            var exclusionFilters = Compile(p, exclusions.Select(x => x.Filter).ToList());
            if (stepFilters.Length == 0 && exclusionFilters.Length == 0) continue;

            int[]? breakdownRows = null;
            int[]? breakdownOfCode = null;
            var noValue = -1;
            if (query.BreakdownBy is { } by)
            {
                noValue = Breakdown(FunnelEngine.NoValue);
                if (p.Column(by) is { } column)
                {
                    if (column.Dropped) throw new ProjectionMissException(by);
                    breakdownRows = column.Rows;
                    breakdownOfCode = new int[column.ValueCount + PropertyColumn.FirstValue];
                    Array.Fill(breakdownOfCode, -1);
                    breakdownOfCode[PropertyColumn.Missing] = breakdownOfCode[PropertyColumn.Null] = noValue;
                }
            }

            var ts = p.Timestamps;
            int[] sessions = p.Sessions, anonymous = p.Anonymous, users = p.Users;
            for (var i = 0; i < p.Length; i++)
            {
                var t = ts[i];
                if (t < from || t > horizon) continue;
                var mask = Matches(stepFilters, i);
                if (t >= to) mask &= ~1u;
                var ex = Matches(exclusionFilters, i);
                if (mask == 0 && ex == 0) continue;
                var actor = actors.Of(sessions[i], anonymous[i], users[i]);
                if (actor < 0) continue;
                var bd = -1;
                if (noValue >= 0 && (mask & 1) != 0)
                {
                    if (breakdownRows is null) bd = noValue;
                    else
                    {
                        var code = breakdownRows[i];
                        bd = breakdownOfCode![code];
                        if (bd < 0) bd = breakdownOfCode[code] = Breakdown(p.Column(query.BreakdownBy!)!.Value(code));
                    }
                }
                rowActors.Add(actor);
                rowTimes.Add(t);
                rowSteps.Add(mask);
                rowExclusions.Add(ex);
                rowBreakdowns.Add(bd);
            }
        }

        return FunnelEngine.Run(query, actors.Count,
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowActors),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowTimes),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowSteps),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowExclusions),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowBreakdowns),
            breakdownValues);
    }

    internal static uint Matches(CompiledFilter[] filters, int row)
    {
        uint mask = 0;
        foreach (var f in filters)
        {
            var all = true;
            foreach (var (rows, code) in f.Conditions)
            {
                if (rows[row] != code) { all = false; break; }
            }
            if (all) mask |= 1u << f.Bit;
        }
        return mask;
    }

    /// <summary>
    /// The filters that can match some row of the partition: the name agrees (or is <c>*</c>) and every condition's
    /// value occurs in its column. A filter on a property the partition never carried, or on a value it never held,
    /// matches none of its rows, as <see cref="EventMatcher"/> would decide row by row.
    /// </summary>
    internal static CompiledFilter[] Compile(NamePartition p, IReadOnlyList<EventFilter> filters)
    {
        var result = new List<CompiledFilter>();
        for (var j = 0; j < filters.Count; j++)
        {
            var f = filters[j];
            if (f.Event != EventFilter.AnyEvent && !string.Equals(f.Event, p.Name, StringComparison.Ordinal)) continue;
            var conditions = new List<(int[], int)>();
            var possible = true;
            foreach (var (key, value) in f.Where)
            {
                if (p.Column(key) is not { } column) { possible = false; break; }
                if (column.Dropped) throw new ProjectionMissException(key);
                var code = column.CodeOf(value);
                if (code < 0) { possible = false; break; }
                conditions.Add((column.Rows, code));
            }
            if (possible) result.Add(new CompiledFilter(j, [.. conditions]));
        }
        return [.. result];
    }

    internal static long Add(long a, long b)
    {
        var r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? long.MaxValue : long.MinValue) : r;
    }
}
