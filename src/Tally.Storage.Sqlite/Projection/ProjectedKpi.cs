using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// The commonest KPIs straight from the projection's columns, with <see cref="KpiEngine"/>'s rules: ratio and
/// rate_by (occurrences for the event unit, distinct actors per day and over the range otherwise) and
/// count_per_day, both without group_by. Other kinds and grouped KPIs feed the engine projected events instead
/// (<see cref="Handles"/>).
/// </summary>
internal static class ProjectedKpi
{
    public static bool Handles(KpiDefinition kpi) => kpi.GroupBy.Count == 0 && kpi.Kind switch
    {
        KpiKind.Ratio or KpiKind.RateBy => kpi.Numerator is not null && kpi.Denominator is not null,
        KpiKind.CountPerDay => kpi.Event is not null,
        _ => false,
    };

    public static KpiResult Run(ProjectionView view, string environment, KpiDefinition kpi, TimeRange range, IdentityGraph identities, CancellationToken ct)
    {
        var days = TimeBuckets.Covering(range, "day");
        var firstDay = days.Count > 0 ? days[0] : 0;
        if (kpi.Kind == KpiKind.CountPerDay)
        {
            var side = Side.Collect(view, environment, kpi.Event!, CountingUnit.Event, range, days.Count, firstDay, identities, ct);
            var series = days.Select((d, i) => new KpiPoint(TimeBuckets.Label(d, "day"), side.PerDay[i])).ToList();
            return new KpiResult(kpi.Name, kpi.Kind, Ratio(side.Total, days.Count), side.Total, days.Count, series, [], kpi.Note);
        }
        var num = Side.Collect(view, environment, kpi.Numerator!, kpi.Unit, range, days.Count, firstDay, identities, ct);
        var den = Side.Collect(view, environment, kpi.Denominator!, kpi.Unit, range, days.Count, firstDay, identities, ct);
        var points = days.Select((d, i) => new KpiPoint(TimeBuckets.Label(d, "day"), Ratio(num.PerDay[i], den.PerDay[i]))).ToList();
        return new KpiResult(kpi.Name, kpi.Kind, Ratio(num.Total, den.Total), num.Total, den.Total, points, [], kpi.Note);
    }

    private static double? Ratio(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;

    /// <summary>One side's measure over the range and per day: summed counts for the event unit, distinct actors otherwise.</summary>
    private sealed record Side(long Total, long[] PerDay)
    {
        public static Side Collect(ProjectionView view, string environment, EventFilter filter, CountingUnit unit, TimeRange range, int dayCount, long firstDay,
            IdentityGraph identities, CancellationToken ct)
        {
            var perDay = new long[dayCount];
            long total = 0;
            var actors = unit == CountingUnit.Event ? null : new ActorCodes(unit, view.Ids, identities);
            var seen = actors is null ? null : new HashSet<int>();
            var seenByDay = actors is null ? null : new HashSet<long>();
            long from = range.FromMs, to = range.ToMs;
            var names = filter.Event == EventFilter.AnyEvent ? null : new[] { filter.Event };
            foreach (var p in view.Partitions(environment, names))
            {
                ct.ThrowIfCancellationRequested();
                var compiled = ProjectedFunnel.Compile(p, [filter]);
                if (compiled.Length == 0) continue;
                var ts = p.Timestamps;
                var counts = p.Counts;
                for (var i = 0; i < p.Length; i++)
                {
                    var t = ts[i];
                    if (t < from || t >= to || ProjectedFunnel.Matches(compiled, i) == 0) continue;
                    var day = (int)((TimeBuckets.Floor(t, "day") - firstDay) / TimeBuckets.DayMs);
                    if (actors is null)
                    {
                        total += counts[i];
                        perDay[day] += counts[i];
                        continue;
                    }
                    var actor = actors.Of(p.Sessions[i], p.Anonymous[i], p.Users[i]);
                    if (actor < 0) continue;
                    if (seen!.Add(actor)) total++;
                    if (seenByDay!.Add(((long)day << 32) | (uint)actor)) perDay[day]++;
                }
            }
            return new Side(total, perDay);
        }
    }
}
