using Tally.Core.Plans;

namespace Tally.Core.Analytics;

/// <summary>KPIs by kind over raw events (docs/analytics.md, "KPIs"). Only events inside the range count, except the end events of conversion_within, which may follow within the KPI's time limit.</summary>
public static class KpiEngine
{
    public const string NoValue = "(none)";
    /// <summary>Group value of a key the side (numerator or denominator) that made the group never carries.</summary>
    public const string AnyValue = "*";

    private sealed record Side(long Ts, long Count, string? Actor, string?[] Values);

    public static KpiResult Run(IEnumerable<AnalyticsEvent> events, IdentityGraph identities, KpiDefinition kpi, TimeRange range)
    {
        var list = events as IReadOnlyList<AnalyticsEvent> ?? events.ToList();
        return kpi.Kind switch
        {
            KpiKind.Ratio or KpiKind.RateBy => Ratio(list, identities, kpi, range),
            KpiKind.CountPerDay => CountPerDay(list, kpi, range),
            KpiKind.DistinctActors => DistinctActors(list, identities, kpi, range),
            KpiKind.ConversionWithin => ConversionWithin(list, identities, kpi, range),
            KpiKind.AverageChange => AverageChange(list, identities, kpi, range),
            KpiKind.Median => Median(list, kpi, range),
            _ => throw new ArgumentException($"unknown KPI kind {kpi.Kind}", nameof(kpi)),
        };
    }

    private static EventFilter Require(KpiDefinition kpi, EventFilter? filter, string field) =>
        filter ?? throw new ArgumentException($"KPI '{kpi.Name}' ({kpi.Kind}) needs '{field}'", nameof(kpi));

    private static List<Side> Collect(IReadOnlyList<AnalyticsEvent> events, IdentityGraph identities, EventFilter filter, CountingUnit unit, IReadOnlyList<string> groupBy, TimeRange range, bool identifiedUsersOnly = false)
    {
        var matcher = new EventMatcher(filter);
        var result = new List<Side>();
        foreach (var e in events)
        {
            if (!range.Contains(e.TimestampMs) || !matcher.Matches(e)) continue;
            string? actor = null;
            if (unit != CountingUnit.Event)
            {
                actor = identifiedUsersOnly && unit == CountingUnit.User ? identities.IdentifiedUser(e) : identities.ActorKey(e, unit);
                if (actor is null) continue;
            }
            var values = new string?[groupBy.Count];
            for (var k = 0; k < values.Length; k++) values[k] = e.Property(groupBy[k]);
            result.Add(new Side(e.TimestampMs, e.Count, actor, values));
        }
        return result;
    }

    /// <summary>Occurrences for the event unit, distinct actors otherwise.</summary>
    private static long Measure(IEnumerable<Side> sides, CountingUnit unit)
    {
        if (unit == CountingUnit.Event)
        {
            long sum = 0;
            foreach (var s in sides) sum += s.Count;
            return sum;
        }
        var actors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sides) actors.Add(s.Actor!);
        return actors.Count;
    }

    private static int DayIndex(long ts, long firstDay) => (int)((TimeBuckets.Floor(ts, "day") - firstDay) / TimeBuckets.DayMs);

    private static string Key(IReadOnlyList<string> groupBy, IReadOnlyList<string> values) =>
        string.Join(", ", groupBy.Select((k, i) => $"{k}={values[i]}"));

    private static KpiResult Ratio(IReadOnlyList<AnalyticsEvent> events, IdentityGraph identities, KpiDefinition kpi, TimeRange range)
    {
        var unit = kpi.Unit;
        var num = Collect(events, identities, Require(kpi, kpi.Numerator, "numerator"), unit, kpi.GroupBy, range);
        var den = Collect(events, identities, Require(kpi, kpi.Denominator, "denominator"), unit, kpi.GroupBy, range);
        long n = Measure(num, unit), d = Measure(den, unit);

        var days = TimeBuckets.Covering(range, "day");
        var series = new List<KpiPoint>(days.Count);
        var numByDay = num.ToLookup(s => DayIndex(s.Ts, days.Count > 0 ? days[0] : 0));
        var denByDay = den.ToLookup(s => DayIndex(s.Ts, days.Count > 0 ? days[0] : 0));
        for (var i = 0; i < days.Count; i++)
            series.Add(new KpiPoint(TimeBuckets.Label(days[i], "day"), Stats.Ratio(Measure(numByDay[i], unit), Measure(denByDay[i], unit))));

        var groups = new List<KpiGroup>();
        if (kpi.GroupBy.Count > 0)
        {
            var width = kpi.GroupBy.Count;
            bool[] Carried(List<Side> side)
            {
                var carried = new bool[width];
                foreach (var s in side) for (var k = 0; k < width; k++) carried[k] |= s.Values[k] is not null;
                return carried;
            }
            bool[] numCarried = Carried(num), denCarried = Carried(den);
            string[] Tuple(Side s, bool[] carried)
            {
                var t = new string[width];
                for (var k = 0; k < width; k++) t[k] = carried[k] ? s.Values[k] ?? NoValue : AnyValue;
                return t;
            }
            // Events of one side with the same values behave alike: aggregate them first.
            Dictionary<string, (string[] Tuple, List<Side> Events)> BySide(List<Side> side, bool[] carried)
            {
                var by = new Dictionary<string, (string[], List<Side>)>(StringComparer.Ordinal);
                foreach (var s in side)
                {
                    var t = Tuple(s, carried);
                    var key = string.Join('\u001f', t);
                    if (!by.TryGetValue(key, out var entry)) by[key] = entry = (t, []);
                    entry.Item2.Add(s);
                }
                return by;
            }
            var numTuples = BySide(num, numCarried);
            var denTuples = BySide(den, denCarried);
            var all = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var (k, v) in numTuples) all[k] = v.Tuple;
            foreach (var (k, v) in denTuples) all.TryAdd(k, v.Tuple);
            long Of(string[] group, Dictionary<string, (string[] Tuple, List<Side> Events)> side, bool[] carried) =>
                Measure(side.Values.Where(t => Agrees(group, t.Tuple, carried)).SelectMany(t => t.Events), unit);
            foreach (var g in all.Values)
            {
                long gn = Of(g, numTuples, numCarried), gd = Of(g, denTuples, denCarried);
                groups.Add(new KpiGroup(Key(kpi.GroupBy, g), g, Stats.Ratio(gn, gd), gn, gd));
            }
            groups.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        }
        return new KpiResult(kpi.Name, kpi.Kind, Stats.Ratio(n, d), n, d, series, groups, kpi.Note);
    }

    /// <summary>A side's events agree with a group on every key the side carries and the group fixes.</summary>
    private static bool Agrees(string[] group, string[] tuple, bool[] carried)
    {
        for (var k = 0; k < group.Length; k++)
        {
            if (!carried[k] || group[k] == AnyValue) continue;
            if (!string.Equals(group[k], tuple[k], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    private static KpiResult CountPerDay(IReadOnlyList<AnalyticsEvent> events, KpiDefinition kpi, TimeRange range)
    {
        var matching = Collect(events, IdentityGraph.Empty, Require(kpi, kpi.Event, "event"), CountingUnit.Event, kpi.GroupBy, range);
        var days = TimeBuckets.Covering(range, "day");
        var perDay = new long[days.Count];
        long total = 0;
        var groups = new Dictionary<string, (string[] Values, long Total)>(StringComparer.Ordinal);
        foreach (var s in matching)
        {
            total += s.Count;
            perDay[DayIndex(s.Ts, days[0])] += s.Count;
            if (kpi.GroupBy.Count == 0) continue;
            var values = s.Values.Select(v => v ?? NoValue).ToArray();
            var key = string.Join('\u001f', values);
            groups[key] = groups.TryGetValue(key, out var g) ? (g.Values, g.Total + s.Count) : (values, s.Count);
        }
        var series = days.Select((d, i) => new KpiPoint(TimeBuckets.Label(d, "day"), perDay[i])).ToList();
        var groupResults = groups.Values
            .Select(g => new KpiGroup(Key(kpi.GroupBy, g.Values), g.Values, Stats.Ratio(g.Total, days.Count), g.Total, days.Count))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new KpiResult(kpi.Name, kpi.Kind, Stats.Ratio(total, days.Count), total, days.Count, series, groupResults, kpi.Note);
    }

    private static KpiResult DistinctActors(IReadOnlyList<AnalyticsEvent> events, IdentityGraph identities, KpiDefinition kpi, TimeRange range)
    {
        var period = kpi.Period;
        if (period is not ("day" or "week" or "month")) throw new ArgumentException($"KPI '{kpi.Name}': period must be day, week or month", nameof(kpi));
        // In users: authenticated users only (after stitching); a visitor never identified is nobody's user.
        var matching = Collect(events, identities, Require(kpi, kpi.Event, "event"), kpi.Unit, kpi.GroupBy, range, identifiedUsersOnly: true);
        var buckets = TimeBuckets.Covering(range, period);
        var index = new Dictionary<long, int>();
        for (var i = 0; i < buckets.Count; i++) index[buckets[i]] = i;
        var perPeriod = matching.ToLookup(s => index[TimeBuckets.Floor(s.Ts, period)]);
        var counts = new long[buckets.Count];
        for (var i = 0; i < buckets.Count; i++) counts[i] = Measure(perPeriod[i], kpi.Unit);
        var sum = counts.Sum();
        var series = buckets.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, period), counts[i])).ToList();

        var groups = new List<KpiGroup>();
        if (kpi.GroupBy.Count > 0)
        {
            foreach (var g in matching.GroupBy(s => string.Join('\u001f', s.Values.Select(v => v ?? NoValue)), StringComparer.Ordinal))
            {
                var values = g.First().Values.Select(v => v ?? NoValue).ToArray();
                long gsum = 0;
                foreach (var p in g.GroupBy(s => TimeBuckets.Floor(s.Ts, period))) gsum += Measure(p, kpi.Unit);
                groups.Add(new KpiGroup(Key(kpi.GroupBy, values), values, Stats.Ratio(gsum, buckets.Count), gsum, buckets.Count));
            }
            groups.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        }
        return new KpiResult(kpi.Name, kpi.Kind, Stats.Ratio(sum, buckets.Count), sum, buckets.Count, series, groups, kpi.Note);
    }

    private static CountingUnit ActorUnit(KpiDefinition kpi) => kpi.Unit != CountingUnit.Event
        ? kpi.Unit
        : throw new ArgumentException($"KPI '{kpi.Name}' ({kpi.Kind}) follows actors: its unit must be session, user or anonymous", nameof(kpi));

    private static KpiResult ConversionWithin(IReadOnlyList<AnalyticsEvent> events, IdentityGraph identities, KpiDefinition kpi, TimeRange range)
    {
        var unit = ActorUnit(kpi);
        var within = Stats.WindowMs(kpi.Within ?? throw new ArgumentException($"KPI '{kpi.Name}' needs 'within'", nameof(kpi)));
        var start = new EventMatcher(Require(kpi, kpi.Start, "start"));
        var end = new EventMatcher(Require(kpi, kpi.End, "end"));
        var firstStart = new Dictionary<string, long>(StringComparer.Ordinal);
        var ends = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            bool isStart = range.Contains(e.TimestampMs) && start.Matches(e), isEnd = end.Matches(e);
            if (!isStart && !isEnd) continue;
            if (identities.ActorKey(e, unit) is not { } actor) continue;
            if (isStart) firstStart[actor] = firstStart.TryGetValue(actor, out var f) ? Math.Min(f, e.TimestampMs) : e.TimestampMs;
            if (isEnd)
            {
                if (!ends.TryGetValue(actor, out var l)) ends[actor] = l = [];
                l.Add(e.TimestampMs);
            }
        }
        var days = TimeBuckets.Covering(range, "day");
        var started = new long[days.Count];
        var converted = new long[days.Count];
        foreach (var (actor, first) in firstStart)
        {
            var day = DayIndex(first, days[0]);
            started[day]++;
            if (ends.TryGetValue(actor, out var l) && l.Exists(t => t >= first && t - first <= within)) converted[day]++;
        }
        long n = converted.Sum(), d = started.Sum();
        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), Stats.Ratio(converted[i], started[i]))).ToList();
        return new KpiResult(kpi.Name, kpi.Kind, Stats.Ratio(n, d), n, d, series, [], kpi.Note);
    }

    private static KpiResult AverageChange(IReadOnlyList<AnalyticsEvent> events, IdentityGraph identities, KpiDefinition kpi, TimeRange range)
    {
        var unit = ActorUnit(kpi);
        var property = kpi.Property ?? throw new ArgumentException($"KPI '{kpi.Name}' needs 'property'", nameof(kpi));
        var matcher = new EventMatcher(Require(kpi, kpi.Event, "event"));
        var values = new Dictionary<string, List<(long Ts, double Value)>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!range.Contains(e.TimestampMs) || !matcher.Matches(e)) continue;
            if (Stats.Number(e.Property(property)) is not { } v) continue;
            if (identities.ActorKey(e, unit) is not { } actor) continue;
            if (!values.TryGetValue(actor, out var l)) values[actor] = l = [];
            l.Add((e.TimestampMs, v));
        }
        var days = TimeBuckets.Covering(range, "day");
        var sums = new double[days.Count];
        var counts = new long[days.Count];
        foreach (var l in values.Values)
        {
            if (l.Count < 2) continue;
            // Time order; values at one instant in ascending order, so the result does not depend on arrival order.
            l.Sort();
            var day = DayIndex(l[^1].Ts, days[0]);
            sums[day] += l[^1].Value - l[0].Value;
            counts[day]++;
        }
        long actors = counts.Sum();
        double? mean = actors == 0 ? null : sums.Sum() / actors;
        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), counts[i] == 0 ? null : sums[i] / counts[i])).ToList();
        return new KpiResult(kpi.Name, kpi.Kind, mean, null, actors, series, [], kpi.Note);
    }

    private static KpiResult Median(IReadOnlyList<AnalyticsEvent> events, KpiDefinition kpi, TimeRange range)
    {
        var property = kpi.Property ?? throw new ArgumentException($"KPI '{kpi.Name}' needs 'property'", nameof(kpi));
        var matcher = new EventMatcher(Require(kpi, kpi.Event, "event"));
        var days = TimeBuckets.Covering(range, "day");
        var perDay = days.Select(_ => new List<double>()).ToArray();
        var all = new List<double>();
        foreach (var e in events)
        {
            if (!range.Contains(e.TimestampMs) || !matcher.Matches(e)) continue;
            if (Stats.Number(e.Property(property)) is not { } v) continue;
            all.Add(v);
            perDay[DayIndex(e.TimestampMs, days[0])].Add(v);
        }
        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), Stats.Median(perDay[i]))).ToList();
        return new KpiResult(kpi.Name, kpi.Kind, Stats.Median(all), null, all.Count, series, [], kpi.Note);
    }
}
