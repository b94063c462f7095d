using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.ClickHouse.Analytics;

internal sealed partial class ClickHouseAnalytics
{
    /// <summary>
    /// A funnel in four levels of SQL: the events that match a step or an exclusion between the range start and the last
    /// moment a step can count (range end + window); per actor, each step's times as sorted arrays; per actor, the
    /// chains (<see cref="ChainSql"/>): level, chain of record of each step, exclusion, step-to-step times; and the
    /// counts and medians per breakdown value, the whole funnel as one more row.
    /// </summary>
    public async Task<FunnelResult> FunnelAsync(FunnelQuery query, CancellationToken ct = default)
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

        var window = AnalyticsSql.WindowMs(query.Window);
        long from = query.Range.FromMs, to = query.Range.ToMs;
        var source = Source(query.Unit)
            .Between(from, AnalyticsSql.AddSaturating(to, window))
            .Where(FilterSql.Names(query.Steps.Concat(exclusions.Select(x => x.Filter))));
        var s = source.Select;
        var inRange = $"t < {AnalyticsSql.Int64(to)}";
        for (var j = 1; j <= n; j++)
        {
            var match = source.Matches(query.Steps[j - 1]);
            s.Add($"m{j}", j == 1 ? $"({inRange} AND {match})" : match);
        }

        for (var x = 1; x <= exclusions.Count; x++) s.Add($"x{x}", source.Matches(exclusions[x - 1].Filter));
        var breakdown = query.BreakdownBy is { } by ? source.Properties.TextOrNone(by) : null;

        // Per actor: each step's times, sorted and distinct (events at one instant act alike).
        var perActor = new List<string> { "actor" };
        for (var j = 1; j <= n; j++) perActor.Add($"arraySort(groupUniqArrayIf(t, m{j})) AS T{j}");
        for (var x = 1; x <= exclusions.Count; x++) perActor.Add($"arraySort(groupUniqArrayIf(t, x{x})) AS X{x}");
        // The breakdown value of the earliest in-range step-1 event, the smallest at one instant.
        perActor.Add(breakdown is null ? "'' AS grp" : $"tupleElement(arrayElement(arraySort(groupArrayIf((t, {breakdown}), m1)), 1), 2) AS grp");

        // Per actor: chains.
        var f = new SelectList();
        var chain = new ChainSql(f, "T1", window);
        var completions = new List<string> { "T1" };
        var times = Enumerable.Range(1, n).Select(j => $"T{j}").ToList();
        var latest = new string[n + 1];
        for (var k = 2; k <= n; k++)
        {
            completions.Add(chain.Next($"E{k}", completions[^1], $"T{k}"));
            latest[k] = chain.Latest($"I{k}", completions[^1]);
        }

        f.Keep([.. times, .. Enumerable.Range(1, exclusions.Count).Select(x => $"X{x}")]);
        f.Add("lvl", "toUInt32((length(T1) > 0)" + string.Concat(Enumerable.Range(2, n - 1).Select(k => $" + (I{k} > 0)")) + ")");
        var records = new string[n + 1][];
        for (var k = 2; k <= n; k++)
        {
            var lowest = exclusions.Where(x => x.BeforeStep == k).Select(x => x.AfterStep).Append(k - 1).Min();
            records[k] = chain.Record($"R{k}", k, lowest, latest[k], completions, times);
            f.Add($"d{k}", $"if(lvl >= {k}, {records[k][k]} - {records[k][k - 1]}, 0)");
        }

        var excluded = exclusions.Select((x, i) =>
            $"(lvl >= {x.BeforeStep} AND arrayExists(v_ -> v_ > {records[x.BeforeStep][x.AfterStep]} AND v_ < {records[x.BeforeStep][x.BeforeStep]}, X{i + 1}))");
        f.Add("excl", exclusions.Count == 0 ? "toUInt8(0)" : "toUInt8(" + string.Join(" OR ", excluded) + ")");
        var reachedAt = n == 1 ? "toInt64(0)" : "multiIf(" + string.Concat(Enumerable.Range(2, n - 1).Select(k => $"lvl = {k}, {records[k][k]}, ")) + "toInt64(0))";
        f.Add("late", $"toUInt8(lvl >= 2 AND {reachedAt} >= {AnalyticsSql.Int64(to)})");

        // Per breakdown value, and the whole funnel as the row flagged 1. Excluded actors count only as excluded.
        var sums = new List<string> { "tupleElement(gk, 1) AS total", "tupleElement(gk, 2) AS value" };
        var output = new List<string> { "total", "value" };
        for (var k = 1; k <= n; k++)
        {
            sums.Add($"countIf(lvl >= {k} AND excl = 0) AS a{k}");
            output.Add($"a{k}");
        }

        for (var k = 2; k <= n; k++)
        {
            sums.Add($"arraySort(groupArrayIf(d{k} / 1000., lvl >= {k} AND excl = 0)) AS v{k}");
            output.Add($"length(v{k}), {AnalyticsSql.Median($"v{k}")}");
        }

        sums.Add("countIf(excl = 1) AS excluded");
        sums.Add("countIf(late = 1 AND excl = 0) AS completes_after");
        output.Add("excluded, completes_after");
        var groups = breakdown is null ? "[(toUInt8(1), '')]" : "if(excl = 1, [(toUInt8(1), '')], [(toUInt8(1), ''), (toUInt8(0), grp)])";
        var sql = $"""
            SELECT {string.Join(", ", output)}
            FROM (
                SELECT
                    {string.Join(",\n        ", sums)}
                FROM (
                    SELECT grp,
                        {f}
                    FROM (
                        SELECT {string.Join(", ", perActor)}
                        FROM ({EventSource.Rows})
                        WHERE actor != ''
                        GROUP BY actor
                    ){f.KeepClause}
                )
                ARRAY JOIN {groups} AS gk
                WHERE lvl > 0
                GROUP BY gk
            )
            """;
        var columns = 2 + n + 2 * (n - 1) + 2;
        var rows = await QueryAsync(source, sql, columns, ct).ConfigureAwait(false);

        FunnelTally? total = null;
        var rowsByValue = new List<(string Value, FunnelTally Tally)>();
        foreach (var r in rows)
        {
            var tally = FunnelTally.Read(r, n);
            if (r[0] == "1") total = tally;
            else rowsByValue.Add((r[1], tally));
        }

        total ??= FunnelTally.Empty(n);
        var breakdownRows = rowsByValue
            .Where(g => g.Tally.Actors[1] > 0)
            .Select(g => new FunnelBreakdownRow(g.Value, g.Tally.Steps(query.Steps)))
            .ToList();
        breakdownRows.Sort((x, y) => x.Steps[0].Actors != y.Steps[0].Actors
            ? y.Steps[0].Actors.CompareTo(x.Steps[0].Actors)
            : string.CompareOrdinal(x.Value, y.Value));
        return new FunnelResult(total.Steps(query.Steps), breakdownRows, total.CompletesAfter, total.Excluded);
    }

    /// <summary>One row of the funnel query: actors at each step, the medians, excluded and late actors.</summary>
    private sealed record FunnelTally(long[] Actors, double?[] Medians, long Excluded, long CompletesAfter)
    {
        public static FunnelTally Empty(int n) => new(new long[n + 1], new double?[n + 1], 0, 0);

        public static FunnelTally Read(string[] r, int n)
        {
            var actors = new long[n + 1];
            var medians = new double?[n + 1];
            for (var k = 1; k <= n; k++) actors[k] = AnalyticsSql.Long(r[1 + k]);
            var at = 2 + n;
            for (var k = 2; k <= n; k++, at += 2)
            {
                medians[k] = AnalyticsSql.Long(r[at]) == 0 ? null : AnalyticsSql.Double(r[at + 1]);
            }

            return new FunnelTally(actors, medians, AnalyticsSql.Long(r[at]), AnalyticsSql.Long(r[at + 1]));
        }

        public List<FunnelStepResult> Steps(IReadOnlyList<EventFilter> filters)
        {
            var result = new List<FunnelStepResult>(filters.Count);
            for (var k = 1; k <= filters.Count; k++)
            {
                result.Add(new FunnelStepResult(
                    filters[k - 1].Event,
                    filters[k - 1].ToString(),
                    Actors[k],
                    k == 1 ? null : Ratio(Actors[k], Actors[k - 1]),
                    Ratio(Actors[k], Actors[1]),
                    k == 1 ? null : Medians[k]));
            }

            return result;
        }
    }

    private static double? Ratio(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
