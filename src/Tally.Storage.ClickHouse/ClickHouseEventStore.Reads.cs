using System.Runtime.CompilerServices;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Reading;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse;

public sealed partial class ClickHouseEventStore
{
    /// <summary>True when the id is stored as a raw event or was counted as an aggregate-only event.</summary>
    public async Task<bool> ContainsEventAsync(string eventId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        EnsureReady();
        var rows = await _http.QueryAsync($"SELECT count() FROM seen_ids WHERE event_id = {SqlLiteral.String(eventId)}", 1, ct).ConfigureAwait(false);
        return TabSeparated.Int64(rows[0][0]) > 0;
    }

    /// <summary>Raw events ordered by timestamp, then id (byte order); the time range is half-open (<c>From &lt;= t &lt; To</c>).</summary>
    public async IAsyncEnumerable<CollectedEvent> ReadEventsAsync(EventQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureReady();
        var sql = $"SELECT {EventRow.Columns} FROM events{EventFilter.Where(query)} ORDER BY ts, event_id";
        await foreach (var row in _http.StreamAsync(sql, EventRow.ColumnCount, ct).ConfigureAwait(false))
        {
            yield return EventRow.Read(row);
        }
    }

    public async Task<long> CountEventsAsync(EventQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureReady();
        var rows = await _http.QueryAsync($"SELECT count() FROM events{EventFilter.Where(query)}", 1, ct).ConfigureAwait(false);
        return TabSeparated.Int64(rows[0][0]);
    }

    /// <summary>
    /// Groups by reason code, most frequent first (ties by code). An event with several codes counts once in each of
    /// their groups; samples are the most recently received of each group. Counts and samples are two queries, and
    /// ClickHouse has no snapshot across them: a write in between can make a count and its sample disagree by that write.
    /// </summary>
    public async Task<IReadOnlyList<QuarantineGroup>> QuarantineByReasonAsync(int samplePerGroup, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samplePerGroup);
        EnsureReady();
        var counts = await _http.QueryAsync(
            "SELECT code, count() AS n FROM quarantine ARRAY JOIN reason_codes AS code GROUP BY code ORDER BY n DESC, code",
            2, ct).ConfigureAwait(false);

        var samples = counts.ToDictionary(c => c[0], _ => new List<QuarantinedEvent>(), StringComparer.Ordinal);
        if (samplePerGroup > 0 && counts.Count > 0)
        {
            // LIMIT n BY: the first n rows of each code in this order; 18.16 has no window functions.
            var rows = await _http.QueryAsync(
                $"""
                SELECT code, {QuarantineRow.Columns}
                FROM quarantine ARRAY JOIN reason_codes AS code
                ORDER BY code, received_at DESC, id
                LIMIT {SqlLiteral.Int64(samplePerGroup)} BY code
                """,
                1 + QuarantineRow.ColumnCount, ct).ConfigureAwait(false);
            foreach (var row in rows)
            {
                if (samples.TryGetValue(row[0], out var sample))
                {
                    sample.Add(QuarantineRow.Read(row, first: 1));
                }
            }
        }

        return counts.Select(c => new QuarantineGroup(c[0], TabSeparated.Int64(c[1]), samples[c[0]])).ToList();
    }

    /// <summary>Every quarantined event, oldest received first.</summary>
    public async IAsyncEnumerable<QuarantinedEvent> ReadQuarantineAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        EnsureReady();
        var sql = $"SELECT {QuarantineRow.Columns} FROM quarantine ORDER BY received_at, id";
        await foreach (var row in _http.StreamAsync(sql, QuarantineRow.ColumnCount, ct).ConfigureAwait(false))
        {
            yield return QuarantineRow.Read(row);
        }
    }

    /// <summary>
    /// Roll-up rows ordered by day, name, environment and source; both ends of the day range are included. Summed here,
    /// because the SummingMergeTree only sums rows of one key when it happens to merge their parts.
    /// </summary>
    public async Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureReady();
        var clauses = new List<string>(3);
        if (query.Name is not null)
        {
            clauses.Add($"name = {SqlLiteral.String(query.Name)}");
        }

        if (query.From is { } from)
        {
            clauses.Add($"day >= {SqlLiteral.Date(from)}");
        }

        if (query.To is { } to)
        {
            clauses.Add($"day <= {SqlLiteral.Date(to)}");
        }

        var where = clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
        var rows = await _http.QueryAsync(
            $"""
            SELECT day, name, environment, source, dimensions, sum(count) FROM rollups_daily{where}
            GROUP BY day, name, environment, source, dimensions
            ORDER BY day, name, environment, source, dimensions
            """,
            6, ct).ConfigureAwait(false);
        return rows.Select(r => new RollupRow(UnixTime.ParseDay(r[0]), r[1], r[2], r[3], TabSeparated.Int64(r[5]), r[4])).ToList();
    }

    /// <summary>Every identity link at its earliest sighting, with the kind seen then; earliest first.</summary>
    public async Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken ct = default)
    {
        EnsureReady();
        var rows = await _http.QueryAsync(
            """
            SELECT from_id, to_user_id, argMin(kind, (at, seq)) AS first_kind, min(at) AS first_at
            FROM identity_links
            GROUP BY from_id, to_user_id
            ORDER BY first_at, from_id, to_user_id
            """,
            4, ct).ConfigureAwait(false);
        return rows.Select(r => new IdentityLink(r[0], r[1], r[2], UnixTime.FromMs(TabSeparated.Int64(r[3])))).ToList();
    }

    /// <summary>Actors whose latest opt-out state (latest at, then latest write) is "opted out", by id.</summary>
    public async Task<IReadOnlyList<string>> ReadOptedOutAsync(CancellationToken ct = default)
    {
        EnsureReady();
        var rows = await _http.QueryAsync(
            """
            SELECT actor_id FROM (
                SELECT actor_id, argMax(opted_out, (at, seq)) AS latest FROM opt_outs GROUP BY actor_id
            )
            WHERE latest = 1
            ORDER BY actor_id
            """,
            1, ct).ConfigureAwait(false);
        return rows.Select(r => r[0]).ToList();
    }
}
