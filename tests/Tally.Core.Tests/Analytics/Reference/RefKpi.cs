using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Analytics.Reference;

/// <summary>KPIs straight from their definitions.</summary>
public static class RefKpi
{
    public static KpiResult Run(IReadOnlyList<AnalyticsEvent> events, IReadOnlyList<IdentityLink> links, KpiDefinition k, TimeRange range)
    {
        var people = Ref.People(links);
        var inRange = events.Where(e => Ref.InRange(range, e.TimestampMs)).ToList();
        var days = Ref.Periods(range, "day");
        switch (k.Kind)
        {
            case KpiKind.Ratio:
            case KpiKind.RateBy:
            {
                var num = inRange.Where(e => Ref.Matches(k.Numerator!, e)).ToList();
                var den = inRange.Where(e => Ref.Matches(k.Denominator!, e)).ToList();
                long Measure(IEnumerable<AnalyticsEvent> es) => k.Unit == CountingUnit.Event
                    ? es.Sum(e => e.Count)
                    : es.Select(e => Ref.Actor(e, k.Unit, people)).Where(a => a is not null).Distinct().Count();
                var series = days.Select(d => new KpiPoint(d,
                    Ref.Div(Measure(num.Where(e => Ref.Day(e.TimestampMs) == d)), Measure(den.Where(e => Ref.Day(e.TimestampMs) == d))))).ToList();
                var groups = new List<KpiGroup>();
                if (k.GroupBy.Count > 0)
                {
                    string? V(AnalyticsEvent e, string key) => e.Properties.TryGetValue(key, out var v) ? v : null;
                    // Only events that have an actor take part for actor units.
                    var numA = num.Where(e => k.Unit == CountingUnit.Event || Ref.Actor(e, k.Unit, people) is not null).ToList();
                    var denA = den.Where(e => k.Unit == CountingUnit.Event || Ref.Actor(e, k.Unit, people) is not null).ToList();
                    bool NumCarries(string key) => numA.Any(e => V(e, key) is not null);
                    bool DenCarries(string key) => denA.Any(e => V(e, key) is not null);
                    var tuples = new List<string[]>();
                    foreach (var e in numA) tuples.Add(k.GroupBy.Select(g => NumCarries(g) ? V(e, g) ?? "(none)" : "*").ToArray());
                    foreach (var e in denA) tuples.Add(k.GroupBy.Select(g => DenCarries(g) ? V(e, g) ?? "(none)" : "*").ToArray());
                    foreach (var t in tuples.DistinctBy(t => string.Join("\u001f", t)))
                    {
                        bool In(AnalyticsEvent e, Func<string, bool> carries)
                        {
                            for (var i = 0; i < t.Length; i++)
                            {
                                if (!carries(k.GroupBy[i]) || t[i] == "*") continue;
                                if ((V(e, k.GroupBy[i]) ?? "(none)") != t[i]) return false;
                            }
                            return true;
                        }
                        long gn = Measure(numA.Where(e => In(e, NumCarries))), gd = Measure(denA.Where(e => In(e, DenCarries)));
                        groups.Add(new KpiGroup(string.Join(", ", k.GroupBy.Select((g, i) => $"{g}={t[i]}")), t, Ref.Div(gn, gd), gn, gd));
                    }
                    groups = groups.OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
                }
                long n = Measure(num), dd = Measure(den);
                return new KpiResult(k.Name, k.Kind, Ref.Div(n, dd), n, dd, series, groups, k.Note);
            }
            case KpiKind.CountPerDay:
            {
                var matching = inRange.Where(e => Ref.Matches(k.Event!, e)).ToList();
                long total = matching.Sum(e => e.Count);
                var series = days.Select(d => new KpiPoint(d, matching.Where(e => Ref.Day(e.TimestampMs) == d).Sum(e => e.Count))).ToList();
                var groups = new List<KpiGroup>();
                if (k.GroupBy.Count > 0)
                {
                    foreach (var g in matching.GroupBy(e => string.Join("\u001f", k.GroupBy.Select(key => e.Properties.GetValueOrDefault(key) ?? "(none)"))))
                    {
                        var values = k.GroupBy.Select(key => g.First().Properties.GetValueOrDefault(key) ?? "(none)").ToArray();
                        long sum = g.Sum(e => e.Count);
                        groups.Add(new KpiGroup(string.Join(", ", k.GroupBy.Select((key, i) => $"{key}={values[i]}")), values, Ref.Div(sum, days.Count), sum, days.Count));
                    }
                    groups = groups.OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
                }
                return new KpiResult(k.Name, k.Kind, Ref.Div(total, days.Count), total, days.Count, series, groups, k.Note);
            }
            case KpiKind.DistinctActors:
            {
                var periods = Ref.Periods(range, k.Period);
                var matching = inRange.Where(e => Ref.Matches(k.Event!, e)).ToList();
                // In users: authenticated users only.
                string? Actor(AnalyticsEvent e) => k.Unit == CountingUnit.User ? Ref.IdentifiedUser(e, people) : Ref.Actor(e, k.Unit, people);
                long Measure(IEnumerable<AnalyticsEvent> es) => k.Unit == CountingUnit.Event
                    ? es.Sum(e => e.Count)
                    : es.Select(Actor).Where(a => a is not null).Distinct().Count();
                var perPeriod = periods.Select(p => Measure(matching.Where(e => Ref.PeriodLabel(e.TimestampMs, k.Period) == p))).ToList();
                var groups = new List<KpiGroup>();
                if (k.GroupBy.Count > 0)
                {
                    var withActor = matching.Where(e => k.Unit == CountingUnit.Event || Actor(e) is not null);
                    foreach (var g in withActor.GroupBy(e => string.Join("\u001f", k.GroupBy.Select(key => e.Properties.GetValueOrDefault(key) ?? "(none)"))))
                    {
                        var values = k.GroupBy.Select(key => g.First().Properties.GetValueOrDefault(key) ?? "(none)").ToArray();
                        long sum = periods.Sum(p => Measure(g.Where(e => Ref.PeriodLabel(e.TimestampMs, k.Period) == p)));
                        groups.Add(new KpiGroup(string.Join(", ", k.GroupBy.Select((key, i) => $"{key}={values[i]}")), values, Ref.Div(sum, periods.Count), sum, periods.Count));
                    }
                    groups = groups.OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
                }
                long total = perPeriod.Sum();
                return new KpiResult(k.Name, k.Kind, Ref.Div(total, periods.Count), total, periods.Count,
                    periods.Select((p, i) => new KpiPoint(p, perPeriod[i])).ToList(), groups, k.Note);
            }
            case KpiKind.ConversionWithin:
            {
                var within = Ref.Ms(k.Within!.Value);
                var cohort = new List<(string Day, bool Converted)>();
                foreach (var (actor, evs) in Ref.ByActor(events, k.Unit, people))
                {
                    var starts = evs.Where(e => Ref.InRange(range, e.TimestampMs) && Ref.Matches(k.Start!, e)).ToList();
                    if (starts.Count == 0) continue;
                    var first = starts.Min(e => e.TimestampMs);
                    var converted = evs.Any(e => Ref.Matches(k.End!, e) && e.TimestampMs >= first && e.TimestampMs - first <= within);
                    cohort.Add((Ref.Day(first), converted));
                }
                long n = cohort.Count(c => c.Converted), d = cohort.Count;
                var series = days.Select(day => new KpiPoint(day, Ref.Div(cohort.Count(c => c.Day == day && c.Converted), cohort.Count(c => c.Day == day)))).ToList();
                return new KpiResult(k.Name, k.Kind, Ref.Div(n, d), n, d, series, [], k.Note);
            }
            case KpiKind.AverageChange:
            {
                var changes = new List<(string Day, double Change)>();
                foreach (var (actor, evs) in Ref.ByActor(inRange, k.Unit, people))
                {
                    var values = evs.Where(e => Ref.Matches(k.Event!, e) && Ref.Number(e.Properties.GetValueOrDefault(k.Property!)) is not null)
                        .Select(e => (Ts: e.TimestampMs, V: Ref.Number(e.Properties[k.Property!])!.Value))
                        .OrderBy(x => x.Ts).ThenBy(x => x.V).ToList();
                    if (values.Count >= 2) changes.Add((Ref.Day(values[^1].Ts), values[^1].V - values[0].V));
                }
                var series = days.Select(d => new KpiPoint(d, changes.Any(c => c.Day == d) ? changes.Where(c => c.Day == d).Average(c => c.Change) : null)).ToList();
                return new KpiResult(k.Name, k.Kind, changes.Count == 0 ? null : changes.Average(c => c.Change), null, changes.Count, series, [], k.Note);
            }
            case KpiKind.Median:
            {
                var values = inRange.Where(e => Ref.Matches(k.Event!, e) && Ref.Number(e.Properties.GetValueOrDefault(k.Property!)) is not null)
                    .Select(e => (Day: Ref.Day(e.TimestampMs), V: Ref.Number(e.Properties[k.Property!])!.Value)).ToList();
                var series = days.Select(d => new KpiPoint(d, Ref.Median(values.Where(v => v.Day == d).Select(v => v.V).ToList()))).ToList();
                return new KpiResult(k.Name, k.Kind, Ref.Median(values.Select(v => v.V).ToList()), null, values.Count, series, [], k.Note);
            }
            default: throw new ArgumentException(k.Kind.ToString());
        }
    }
}
