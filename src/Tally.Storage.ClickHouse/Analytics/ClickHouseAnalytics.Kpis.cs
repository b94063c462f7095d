using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Storage.ClickHouse.Http;

namespace Tally.Storage.ClickHouse.Analytics;

internal sealed partial class ClickHouseAnalytics
{
    public const string AnyValue = "*";

    /// <summary>
    /// KPIs by kind (docs/analytics.md, "KPIs"), each a GROUP BY over the events in the range: raw events and the
    /// roll-up rows of aggregate-only events (<see cref="EventSource.WithRollups"/>).
    /// </summary>
    public Task<KpiResult> KpiAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(range);
        return kpi.Kind switch
        {
            KpiKind.Ratio or KpiKind.RateBy => RatioAsync(kpi, range, ct),
            KpiKind.CountPerDay => CountPerDayAsync(kpi, range, ct),
            KpiKind.DistinctActors => DistinctActorsAsync(kpi, range, ct),
            KpiKind.ConversionWithin => ConversionWithinAsync(kpi, range, ct),
            KpiKind.AverageChange => AverageChangeAsync(kpi, range, ct),
            KpiKind.Median => MedianAsync(kpi, range, ct),
            _ => throw new ArgumentException($"unknown KPI kind {kpi.Kind}", nameof(kpi)),
        };
    }

    private static EventFilter Require(KpiDefinition kpi, EventFilter? filter, string field) =>
        filter ?? throw new ArgumentException($"KPI '{kpi.Name}' ({kpi.Kind}) needs '{field}'", nameof(kpi));

    private static CountingUnit ActorUnit(KpiDefinition kpi) => kpi.Unit != CountingUnit.Event
        ? kpi.Unit
        : throw new ArgumentException($"KPI '{kpi.Name}' ({kpi.Kind}) follows actors: its unit must be session, user or anonymous", nameof(kpi));

    /// <summary>Occurrences for the event unit, distinct actors otherwise.</summary>
    private static string Measure(CountingUnit unit) => unit == CountingUnit.Event ? "sum(c)" : "uniqExact(actor)";

    /// <summary>Events of the event unit all count; the other units skip events without an actor.</summary>
    private static string HasActor(CountingUnit unit) => unit == CountingUnit.Event ? "1" : "actor != ''";

    private static string Key(IReadOnlyList<string> groupBy, IReadOnlyList<string> values) =>
        string.Join(", ", groupBy.Select((k, i) => $"{k}={values[i]}"));

    /// <summary>Group-by values of each event, (none) where missing: aliases g0…; and whether the event carries each: h0….</summary>
    private static (string[] Values, string[] Carried) GroupColumns(EventSource source, IReadOnlyList<string> groupBy)
    {
        var values = new string[groupBy.Count];
        var carried = new string[groupBy.Count];
        for (var k = 0; k < groupBy.Count; k++)
        {
            values[k] = source.Select.Add($"g{k}", source.Properties.TextOrNone(groupBy[k]));
            carried[k] = source.Select.Add($"h{k}", source.Properties.Has(groupBy[k]));
        }

        return (values, carried);
    }

    private async Task<KpiResult> RatioAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct)
    {
        var unit = kpi.Unit;
        EventFilter numerator = Require(kpi, kpi.Numerator, "numerator"), denominator = Require(kpi, kpi.Denominator, "denominator");
        var source = Source(unit).WithRollups().InRange(range.FromMs, range.ToMs).Where(FilterSql.Names([numerator, denominator]));
        source.Select.Add("is_num", source.Matches(numerator));
        source.Select.Add("is_den", source.Matches(denominator));
        var (values, carried) = GroupColumns(source, kpi.GroupBy);
        // One row per (event, side it counts for): side 0 numerator, 1 denominator.
        var sides = $"""
            SELECT *, side FROM ({EventSource.Rows})
            ARRAY JOIN arrayConcat(if(is_num, [toUInt8(0)], emptyArrayUInt8()), if(is_den, [toUInt8(1)], emptyArrayUInt8())) AS side
            WHERE {HasActor(unit)}
            """;
        var sql = $"""
            SELECT side, tupleElement(bucket, 1), tupleElement(bucket, 2), {Measure(unit)}
            FROM ({sides})
            ARRAY JOIN [(toUInt8(1), toInt64(0)), (toUInt8(0), {AnalyticsSql.Floor("t", "day")})] AS bucket
            GROUP BY side, bucket
            """;
        var days = TimeBuckets.Covering(range, "day");
        var index = AnalyticsSql.Index(days);
        long n = 0, d = 0;
        var perDay = new long[2, days.Count];
        foreach (var r in await QueryAsync(source, sql, 4, ct).ConfigureAwait(false))
        {
            int side = r[0] == "0" ? 0 : 1;
            var measure = AnalyticsSql.Long(r[3]);
            if (r[1] == "1")
            {
                if (side == 0) n = measure;
                else d = measure;
            }
            else
            {
                perDay[side, index[AnalyticsSql.Long(r[2])]] = measure;
            }
        }

        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), Ratio(perDay[0, i], perDay[1, i]))).ToList();
        var groups = kpi.GroupBy.Count == 0 ? [] : await RatioGroupsAsync(kpi, source, sides, values, carried, ct).ConfigureAwait(false);
        return new KpiResult(kpi.Name, kpi.Kind, Ratio(n, d), n, d, series, groups, kpi.Note);
    }

    /// <summary>
    /// rate_by groups in two more queries. First the distinct value lists of each side and which keys each side ever
    /// carries (a key a side never carries shows <c>*</c> for it); the groups are the distinct lists of both sides. Then,
    /// with the groups sent as an external table, each side's measure over the events that agree with a group on every
    /// key the side carries and the group does not leave open.
    /// </summary>
    private async Task<List<KpiGroup>> RatioGroupsAsync(KpiDefinition kpi, EventSource source, string sides, string[] values, string[] carried, CancellationToken ct)
    {
        var width = values.Length;
        var distinct = await QueryAsync(source, $"SELECT DISTINCT side, {string.Join(", ", values)}, {string.Join(", ", carried)} FROM ({sides})", 1 + 2 * width, ct)
            .ConfigureAwait(false);
        var sideCarries = new bool[2, width];
        foreach (var r in distinct)
        {
            for (var k = 0; k < width; k++) if (r[1 + width + k] == "1") sideCarries[r[0] == "0" ? 0 : 1, k] = true;
        }

        var all = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var r in distinct)
        {
            var side = r[0] == "0" ? 0 : 1;
            var tuple = new string[width];
            for (var k = 0; k < width; k++) tuple[k] = sideCarries[side, k] ? r[1 + k] : AnyValue;
            all.TryAdd(string.Join('\u001f', tuple), tuple);
        }

        var groups = all.Values.ToList();
        if (groups.Count == 0) return [];
        using var rows = new JsonEachRow();
        for (var i = 0; i < groups.Count; i++)
        {
            var w = rows.Begin();
            w.WriteNumber("gid", i);
            w.WriteStartArray("g");
            foreach (var v in groups[i]) w.WriteStringValue(v);
            w.WriteEndArray();
            rows.End();
        }

        string Carries(int side) => "[" + string.Join(", ", Enumerable.Range(0, width).Select(k => sideCarries[side, k] ? "1" : "0")) + "]";
        var sql = $"""
            SELECT gid, side, {Measure(kpi.Unit)}
            FROM ({sides})
            CROSS JOIN kpi_groups
            WHERE arrayAll((gv_, tv_, cr_) -> cr_ = 0 OR gv_ = {Text(AnyValue)} OR gv_ = tv_, g, [{string.Join(", ", values)}], if(side = 0, {Carries(0)}, {Carries(1)}))
            GROUP BY gid, side
            """;
        var measures = new long[groups.Count, 2];
        var table = new ExternalTable("kpi_groups", "gid UInt32, g Array(String)", rows.ToArray());
        foreach (var r in await QueryAsync(source, sql, 3, ct, table).ConfigureAwait(false))
        {
            measures[AnalyticsSql.Long(r[0]), r[1] == "0" ? 0 : 1] = AnalyticsSql.Long(r[2]);
        }

        var result = groups.Select((g, i) => new KpiGroup(Key(kpi.GroupBy, g), g, Ratio(measures[i, 0], measures[i, 1]), measures[i, 0], measures[i, 1])).ToList();
        result.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        return result;
    }

    private async Task<KpiResult> CountPerDayAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct)
    {
        var filter = Require(kpi, kpi.Event, "event");
        var source = Source(CountingUnit.Event).WithRollups().InRange(range.FromMs, range.ToMs).Where(FilterSql.Names([filter]));
        source.Select.Add("hit", source.Matches(filter));
        var (values, _) = GroupColumns(source, kpi.GroupBy);
        var keys = string.Concat(values.Select(v => ", " + v));
        var sql = $"SELECT {AnalyticsSql.Floor("t", "day")} AS day{keys}, sum(c) FROM ({EventSource.Rows}) WHERE hit GROUP BY day{keys}";
        var days = TimeBuckets.Covering(range, "day");
        var index = AnalyticsSql.Index(days);
        var perDay = new long[days.Count];
        var groups = new Dictionary<string, (string[] Values, long Total)>(StringComparer.Ordinal);
        foreach (var r in await QueryAsync(source, sql, 2 + values.Length, ct).ConfigureAwait(false))
        {
            var count = AnalyticsSql.Long(r[^1]);
            perDay[index[AnalyticsSql.Long(r[0])]] += count;
            if (values.Length == 0) continue;
            var tuple = r[1..^1];
            var key = string.Join('\u001f', tuple);
            groups[key] = groups.TryGetValue(key, out var g) ? (g.Values, g.Total + count) : (tuple, count);
        }

        var total = perDay.Sum();
        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), perDay[i])).ToList();
        var groupResults = groups.Values
            .Select(g => new KpiGroup(Key(kpi.GroupBy, g.Values), g.Values, Ratio(g.Total, days.Count), g.Total, days.Count))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new KpiResult(kpi.Name, kpi.Kind, Ratio(total, days.Count), total, days.Count, series, groupResults, kpi.Note);
    }

    private async Task<KpiResult> DistinctActorsAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct)
    {
        var period = kpi.Period;
        if (period is not ("day" or "week" or "month")) throw new ArgumentException($"KPI '{kpi.Name}': period must be day, week or month", nameof(kpi));
        var filter = Require(kpi, kpi.Event, "event");
        var source = Source(kpi.Unit).WithRollups().InRange(range.FromMs, range.ToMs).Where(FilterSql.Names([filter]));
        source.Select.Add("hit", source.Matches(filter));
        var (values, _) = GroupColumns(source, kpi.GroupBy);
        // Each event counts for its period as a whole (flag 1) and for its group's share of the period (flag 0).
        var sql = $"""
            SELECT {AnalyticsSql.Floor("t", period)} AS bucket, tupleElement(gk, 1){string.Concat(values.Select((_, k) => $", arrayElement(tupleElement(gk, 2), {k + 1})"))}, {Measure(kpi.Unit)}
            FROM ({EventSource.Rows})
            ARRAY JOIN [(toUInt8(1), emptyArrayString()){(values.Length == 0 ? "" : $", (toUInt8(0), [{string.Join(", ", values)}])")}] AS gk
            WHERE hit AND {HasActor(kpi.Unit)}{(kpi.Unit == CountingUnit.User ? " AND identified" : "")}
            GROUP BY bucket, gk
            """;
        var buckets = TimeBuckets.Covering(range, period);
        var index = AnalyticsSql.Index(buckets);
        var counts = new long[buckets.Count];
        var groups = new Dictionary<string, (string[] Values, long Sum)>(StringComparer.Ordinal);
        foreach (var r in await QueryAsync(source, sql, 3 + values.Length, ct).ConfigureAwait(false))
        {
            var measure = AnalyticsSql.Long(r[^1]);
            if (r[1] == "1")
            {
                counts[index[AnalyticsSql.Long(r[0])]] = measure;
                continue;
            }

            var tuple = r[2..^1];
            var key = string.Join('\u001f', tuple);
            groups[key] = groups.TryGetValue(key, out var g) ? (g.Values, g.Sum + measure) : (tuple, measure);
        }

        var sum = counts.Sum();
        var series = buckets.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, period), counts[i])).ToList();
        var groupResults = groups.Values
            .Select(g => new KpiGroup(Key(kpi.GroupBy, g.Values), g.Values, Ratio(g.Sum, buckets.Count), g.Sum, buckets.Count))
            .ToList();
        groupResults.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        return new KpiResult(kpi.Name, kpi.Kind, Ratio(sum, buckets.Count), sum, buckets.Count, series, groupResults, kpi.Note);
    }

    /// <summary>
    /// Per actor: the first start in the range, and whether an end event (read up to range end + within) lies in
    /// [first start, first start + within]; counted per day of the first start.
    /// </summary>
    private async Task<KpiResult> ConversionWithinAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct)
    {
        var unit = ActorUnit(kpi);
        var within = AnalyticsSql.WindowMs(kpi.Within ?? throw new ArgumentException($"KPI '{kpi.Name}' needs 'within'", nameof(kpi)));
        EventFilter start = Require(kpi, kpi.Start, "start"), end = Require(kpi, kpi.End, "end");
        var source = Source(unit).WithRollups().Between(range.FromMs, AnalyticsSql.AddSaturating(range.ToMs, within)).Where(FilterSql.Names([start, end]));
        source.Select.Add("is_start", $"(t < {AnalyticsSql.Int64(range.ToMs)} AND {source.Matches(start)})");
        source.Select.Add("is_end", source.Matches(end));
        var sql = $"""
            SELECT {AnalyticsSql.Floor("first_start", "day")} AS day, count(), countIf(converted)
            FROM (
                SELECT actor, minIf(t, is_start) AS first_start,
                    arrayExists(e_ -> e_ >= first_start AND e_ - first_start <= {AnalyticsSql.Int64(within)}, groupArrayIf(t, is_end)) AS converted
                FROM ({EventSource.Rows})
                WHERE actor != '' AND (is_start OR is_end)
                GROUP BY actor
                HAVING countIf(is_start) > 0
            )
            GROUP BY day
            """;
        var days = TimeBuckets.Covering(range, "day");
        var index = AnalyticsSql.Index(days);
        var started = new long[days.Count];
        var converted = new long[days.Count];
        foreach (var r in await QueryAsync(source, sql, 3, ct).ConfigureAwait(false))
        {
            var i = index[AnalyticsSql.Long(r[0])];
            started[i] = AnalyticsSql.Long(r[1]);
            converted[i] = AnalyticsSql.Long(r[2]);
        }

        long n = converted.Sum(), d = started.Sum();
        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), Ratio(converted[i], started[i]))).ToList();
        return new KpiResult(kpi.Name, kpi.Kind, Ratio(n, d), n, d, series, [], kpi.Note);
    }

    /// <summary>Per actor with two or more numeric values: last − first in (time, value) order, summed per day of the last value.</summary>
    private async Task<KpiResult> AverageChangeAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct)
    {
        var unit = ActorUnit(kpi);
        var property = kpi.Property ?? throw new ArgumentException($"KPI '{kpi.Name}' needs 'property'", nameof(kpi));
        var filter = Require(kpi, kpi.Event, "event");
        var source = Source(unit).WithRollups().InRange(range.FromMs, range.ToMs).Where(FilterSql.Names([filter]));
        source.Select.Add("hit", source.Matches(filter));
        var (isNumber, value) = source.Properties.Number(property);
        var sql = $"""
            SELECT {AnalyticsSql.Floor("last_time", "day")} AS day, sum(change), count()
            FROM (
                SELECT actor, arraySort(groupArray((t, {value}))) AS vs,
                    tupleElement(arrayElement(vs, -1), 2) - tupleElement(arrayElement(vs, 1), 2) AS change,
                    tupleElement(arrayElement(vs, -1), 1) AS last_time
                FROM ({EventSource.Rows})
                WHERE hit AND {isNumber} AND actor != ''
                GROUP BY actor
                HAVING length(vs) >= 2
            )
            GROUP BY day
            """;
        var days = TimeBuckets.Covering(range, "day");
        var index = AnalyticsSql.Index(days);
        var sums = new double[days.Count];
        var counts = new long[days.Count];
        foreach (var r in await QueryAsync(source, sql, 3, ct).ConfigureAwait(false))
        {
            var i = index[AnalyticsSql.Long(r[0])];
            sums[i] = AnalyticsSql.Double(r[1]);
            counts[i] = AnalyticsSql.Long(r[2]);
        }

        long actors = counts.Sum();
        double? mean = actors == 0 ? null : sums.Sum() / actors;
        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), counts[i] == 0 ? null : sums[i] / counts[i])).ToList();
        return new KpiResult(kpi.Name, kpi.Kind, mean, null, actors, series, [], kpi.Note);
    }

    /// <summary>Medians of the numeric values over the range and per day, one value per matching event.</summary>
    private async Task<KpiResult> MedianAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct)
    {
        var property = kpi.Property ?? throw new ArgumentException($"KPI '{kpi.Name}' needs 'property'", nameof(kpi));
        var filter = Require(kpi, kpi.Event, "event");
        var source = Source(CountingUnit.Event).WithRollups().InRange(range.FromMs, range.ToMs).Where(FilterSql.Names([filter]));
        source.Select.Add("hit", source.Matches(filter));
        var (isNumber, value) = source.Properties.Number(property);
        var sql = $"""
            SELECT whole, day, length(vs), {AnalyticsSql.Median("vs")}
            FROM (
                SELECT tupleElement(bucket, 1) AS whole, tupleElement(bucket, 2) AS day, arraySort(groupArray({value})) AS vs
                FROM ({EventSource.Rows})
                ARRAY JOIN [(toUInt8(1), toInt64(0)), (toUInt8(0), {AnalyticsSql.Floor("t", "day")})] AS bucket
                WHERE hit AND {isNumber}
                GROUP BY bucket
            )
            """;
        var days = TimeBuckets.Covering(range, "day");
        var index = AnalyticsSql.Index(days);
        var medians = new double?[days.Count];
        double? overall = null;
        long values = 0;
        foreach (var r in await QueryAsync(source, sql, 4, ct).ConfigureAwait(false))
        {
            var count = AnalyticsSql.Long(r[2]);
            double? median = count == 0 ? null : AnalyticsSql.Double(r[3]);
            if (r[0] == "1")
            {
                overall = median;
                values = count;
            }
            else
            {
                medians[index[AnalyticsSql.Long(r[1])]] = median;
            }
        }

        var series = days.Select((b, i) => new KpiPoint(TimeBuckets.Label(b, "day"), medians[i])).ToList();
        return new KpiResult(kpi.Name, kpi.Kind, overall, null, values, series, [], kpi.Note);
    }
}
