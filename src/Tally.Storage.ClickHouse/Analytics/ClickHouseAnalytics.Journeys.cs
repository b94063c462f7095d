using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.ClickHouse.Analytics;

internal sealed partial class ClickHouseAnalytics
{
    /// <summary>
    /// A journey as a funnel of its required steps (<see cref="ChainSql"/>), plus for each optional step o after required
    /// step p the sub-funnels "required steps up to p, then o" and, for actors who went on, "…, o, then the next
    /// required step". The chains of every sub-funnel share the per-actor arrays and the earliest-completion arrays of
    /// their common prefix.
    /// </summary>
    public async Task<JourneyResult> JourneyAsync(JourneyDefinition journey, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(journey);
        ArgumentNullException.ThrowIfNull(range);
        var steps = journey.Steps;
        var n = steps.Count;
        if (n is < 1 or > 32) throw new ArgumentException("a journey has 1 to 32 steps", nameof(journey));
        if (journey.Unit == CountingUnit.Event) throw new ArgumentException("a journey follows sessions, users or anonymous ids, not events", nameof(journey));
        var window = AnalyticsSql.WindowMs(journey.Window);
        long from = range.FromMs, to = range.ToMs;

        // The first step starts the journey, so it is required even if the plan marks it optional.
        var required = Enumerable.Range(0, n).Where(j => j == 0 || !steps[j].Optional).ToArray();
        var position = new int[n];
        for (int j = 0, p = -1; j < n; j++)
        {
            if (j == 0 || !steps[j].Optional) p++;
            position[j] = p;
        }

        var source = Source(journey.Unit)
            .Between(from, AnalyticsSql.AddSaturating(to, window))
            .Where(FilterSql.Names(steps.Select(st => st.Filter)));
        for (var j = 0; j < n; j++)
        {
            var match = source.Matches(steps[j].Filter);
            source.Select.Add($"m{j}", j == 0 ? $"(t < {AnalyticsSql.Int64(to)} AND {match})" : match);
        }

        var perActor = string.Join(", ", Enumerable.Range(0, n).Select(j => $"arraySort(groupUniqArrayIf(t, m{j})) AS T{j}"));
        var f = new SelectList();
        var chain = new ChainSql(f, "T0", window);
        f.Keep([.. Enumerable.Range(0, n).Select(j => $"T{j}")]);
        // Earliest completions along the required steps; E{r} ends at required step r (0-based).
        var completion = new string[required.Length];
        completion[0] = "T0";
        var reached = new List<string> { "length(T0) > 0" };
        for (var r = 1; r < required.Length; r++)
        {
            completion[r] = chain.Next($"E{r}", completion[r - 1], $"T{required[r]}");
            reached.Add(chain.Reaches($"Q{r}", completion[r]));
        }

        f.Add("lvl", "toUInt32(" + string.Join(" + ", reached.Select(q => $"({q})")) + ")");
        var output = new List<string> { "countIf(lvl >= 1)", $"countIf(lvl = {required.Length})" };
        for (var j = 0; j < n; j++)
        {
            if (j == 0 || !steps[j].Optional)
            {
                output.Add($"countIf(lvl >= {position[j] + 1})");
                continue;
            }

            var p = position[j];
            var viaOptional = chain.Next($"O{j}", completion[p], $"T{j}");
            var optionalReached = chain.Reaches($"OQ{j}", viaOptional);
            var condition = $"lvl >= 1 AND {optionalReached}";
            if (p + 1 < required.Length)
            {
                // Actors who went on to the next required step must have done the optional one before it.
                var bounded = chain.Reaches($"ON{j}", chain.Next($"OE{j}", viaOptional, $"T{required[p + 1]}"));
                condition += $" AND (lvl < {p + 2} OR {bounded})";
            }

            output.Add($"countIf({condition})");
        }

        var sql = $"""
            SELECT {string.Join(", ", output)}
            FROM (
                SELECT
                    {f}
                FROM (
                    SELECT actor, {perActor}
                    FROM ({EventSource.Rows})
                    WHERE actor != ''
                    GROUP BY actor
                ){f.KeepClause}
            )
            """;
        var row = (await QueryAsync(source, sql, 2 + n, ct).ConfigureAwait(false))[0];
        var results = steps.Select((st, j) => new JourneyStepResult(st.Filter.ToString(), j != 0 && st.Optional, AnalyticsSql.Long(row[2 + j]))).ToList();
        return new JourneyResult(journey.Name, AnalyticsSql.Long(row[0]), AnalyticsSql.Long(row[1]), results);
    }
}
