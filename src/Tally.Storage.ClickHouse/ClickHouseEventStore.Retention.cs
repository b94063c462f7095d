using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Sql;
using Tally.Storage.ClickHouse.Writing;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// Retention on ClickHouse: counts through the entry node (the Distributed tables on a cluster), then deletions on every
/// node (see <see cref="RetentionDeletion"/>): month partitions whose every row is past its cutoff are dropped whole, and
/// only what is left goes to one mutation per table. On 18.16 a mutation rewrites every part of the table, so a run
/// that crosses only whole months rewrites nothing; hourly runs on a large table are cheaper less often
/// (<c>--retention-every 24h</c>). Deleting raw events leaves their
/// roll-up counts and their ids in <c>seen_ids</c> alone (mutations do not fire materialized views), so a late retry
/// of a deleted event is still a duplicate and the daily counts keep their own retention.
/// </summary>
public sealed partial class ClickHouseEventStore : IRetentionStore
{
    /// <summary>The first day a Date column can hold; nothing is stored before it.</summary>
    private static readonly DateOnly DateEpoch = new(1970, 1, 2);

    public async Task<IReadOnlyDictionary<string, long>> CountEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        EnsureReady();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (cutoffs.Count == 0) return counts;
        var rows = await _http.QueryAsync($"SELECT name, count() FROM events WHERE {Where(cutoffs)} GROUP BY name", 2, ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            counts[row[0]] = TabSeparated.Int64(row[1]);
        }

        return counts;
    }

    public async Task<IReadOnlyDictionary<string, long>> DeleteEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Counted under the write gate, so no write of this store lands between the count and the delete.
            var counts = await CountEventsBeforeAsync(cutoffs, ct).ConfigureAwait(false);
            if (counts.Count > 0)
            {
                var where = Where(cutoffs.Where(c => counts.ContainsKey(c.Name)).ToList());
                var whole = await WholeMonthsAsync($"SELECT toYYYYMM(day) AS month FROM events GROUP BY month HAVING count() = countIf({where})", ct).ConfigureAwait(false);
                await Deletion().DropPartitionsAsync("events", whole, ct).ConfigureAwait(false);
                if (whole.Count == 0 || (await CountEventsBeforeAsync(cutoffs, ct).ConfigureAwait(false)).Count > 0)
                {
                    await Deletion().DeleteAsync("events", where, ct).ConfigureAwait(false);
                }
            }

            return counts;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<long> CountRollupsBeforeAsync(DateOnly before, CancellationToken ct = default)
    {
        EnsureReady();
        if (before < DateEpoch) return 0;
        // Rows of one key may not have been merged yet: a row is a distinct key, as in the SQLite store.
        var rows = await _http.QueryAsync(
            $"SELECT count() FROM (SELECT day, name, environment, source FROM rollups_daily WHERE day < {SqlLiteral.Date(before)} GROUP BY day, name, environment, source)",
            1, ct).ConfigureAwait(false);
        return TabSeparated.Int64(rows[0][0]);
    }

    public async Task<long> DeleteRollupsBeforeAsync(DateOnly before, CancellationToken ct = default)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var count = await CountRollupsBeforeAsync(before, ct).ConfigureAwait(false);
            if (count > 0)
            {
                var whole = await WholeMonthsAsync($"SELECT toYYYYMM(day) AS month FROM rollups_daily GROUP BY month HAVING max(day) < {SqlLiteral.Date(before)}", ct).ConfigureAwait(false);
                await Deletion().DropPartitionsAsync("rollups_daily", whole, ct).ConfigureAwait(false);
                if (await CountRollupsBeforeAsync(before, ct).ConfigureAwait(false) > 0)
                {
                    await Deletion().DeleteAsync("rollups_daily", $"day < {SqlLiteral.Date(before)}", ct).ConfigureAwait(false);
                }
            }

            return count;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private RetentionDeletion Deletion() => new(_http, _cluster);

    /// <summary>The month partitions (toYYYYMM) a query finds wholly past their cutoff.</summary>
    private async Task<List<long>> WholeMonthsAsync(string sql, CancellationToken ct) =>
        [.. (await _http.QueryAsync(sql, 1, ct).ConfigureAwait(false)).Select(r => TabSeparated.Int64(r[0]))];

    private static string Where(IReadOnlyList<EventCutoff> cutoffs) =>
        string.Join(" OR ", cutoffs.Select(c => $"(name = {SqlLiteral.String(c.Name)} AND ts < {SqlLiteral.Int64(UnixTime.ToMs(c.Before))})"));
}
