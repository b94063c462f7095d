namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// Window-funnel chains of one actor in array SQL, over each step's timestamps (sorted, distinct; step 1 only those in
/// the range). For every start s, <c>E_j(s)</c> is the earliest time the chain s → step 2 → … → step j can reach step j
/// (each step at or after the previous one, so one event may serve several steps): E_1 = s and E_j is the first step-j
/// time at or after E_(j−1). The actor reaches step k iff some start has <c>E_k(s) − s ≤ window</c>, the
/// characterisation docs/analytics.md gives of windowFunnel's default mode, and the latest such start begins the chain
/// of record, whose later events are then the latest ones that still fit (<see cref="Record"/>).
/// </summary>
/// <remarks>
/// ClickHouse's own <c>windowFunnel</c> is not used: on 18.16 it lets one row satisfy only one step, orders ties between
/// rows by arrival, keeps times in an Int32 (2^31 ms is under 25 days) and cannot tell which events formed the chain,
/// which the medians and exclusions need. The cost here is O(starts × step events) per actor and step.
/// </remarks>
internal sealed class ChainSql(SelectList select, string starts, long windowMs)
{
    private readonly string _window = AnalyticsSql.Int64(windowMs);

    public string Starts => starts;

    /// <summary>E_j from E_(j−1) (<paramref name="previous"/>) and the step's times; <see cref="AnalyticsSql.Never"/> where no step event follows.</summary>
    public string Next(string alias, string previous, string stepTimes)
    {
        var padded = select.Add($"{stepTimes}_pad", $"arrayPushBack({stepTimes}, {AnalyticsSql.Never})");
        return select.Add(alias, $"arrayMap(x_ -> arrayFirst(y_ -> y_ >= x_, {padded}), {previous})");
    }

    /// <summary>Does some start complete the chain whose earliest completions are <paramref name="completion"/> within the window?</summary>
    public string Reaches(string alias, string completion) =>
        select.Add(alias, $"arrayExists((s_, e_) -> e_ - s_ <= {_window}, {starts}, {completion})");

    /// <summary>1-based index of the latest start that completes the chain within the window; 0 when none does.</summary>
    public string Latest(string alias, string completion) =>
        select.Add(alias, $"arrayReduce('max', arrayFilter((i_, s_, e_) -> e_ - s_ <= {_window}, arrayEnumerate({starts}), {starts}, {completion}))");

    /// <summary>
    /// The chain of record of step k (1-based, k ≥ 2), as aliases of its step times from step k down to
    /// <paramref name="lowest"/>: the latest start that reaches step k (<paramref name="latest"/>), then the latest step-k
    /// time after the earliest possible step-(k−1) time and within the window, then the latest step-(k−1) time between
    /// the earliest possible step-(k−2) time and the step-k time, and so on. That is the lexicographic maximum of
    /// (t1, tk, tk−1, …, t2) over all chains, which the greedy pass keeps (docs/analytics.md, "Chain of record").
    /// </summary>
    /// <param name="completions">E_1 … E_k aliases (E_1 is the starts).</param>
    /// <param name="times">Step time aliases, step 1 … k.</param>
    public string[] Record(string prefix, int k, int lowest, string latest, IReadOnlyList<string> completions, IReadOnlyList<string> times)
    {
        var at = new string[k + 1];
        var start = select.Add($"{prefix}_1", $"arrayElement({starts}, {latest})");
        at[1] = start;
        var upper = $"{start} + {_window}";
        for (var j = k; j >= Math.Max(2, lowest); j--)
        {
            var earliest = j == 2 ? start : select.Add($"{prefix}_lo{j - 1}", $"arrayElement({completions[j - 2]}, {latest})");
            at[j] = select.Add($"{prefix}_{j}", $"arrayReduce('max', arrayFilter(v_ -> v_ >= {earliest} AND v_ <= {upper}, {times[j - 1]}))");
            upper = at[j];
        }

        return at;
    }
}
