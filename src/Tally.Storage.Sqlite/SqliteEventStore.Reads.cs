using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Reading;

namespace Tally.Storage.Sqlite;

public sealed partial class SqliteEventStore
{
    /// <summary>True when the id is stored as a raw event or was counted as an aggregate-only event: either way a replay of it would be a duplicate.</summary>
    public async Task<bool> ContainsEventAsync(string eventId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT EXISTS (SELECT 1 FROM events WHERE event_id = $id)
                OR EXISTS (SELECT 1 FROM seen_ids WHERE event_id = $id)
            """;
        command.Parameters.AddWithValue("$id", eventId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Raw events ordered by timestamp, then id; the time range is half-open (<c>From &lt;= t &lt; To</c>).</summary>
    public async IAsyncEnumerable<CollectedEvent> ReadEventsAsync(EventQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EventRow.Columns} FROM events{EventFilter.Where(query, command)} ORDER BY ts, event_id";
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return EventRow.Read(reader);
        }
    }

    public async Task<long> CountEventsAsync(EventQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM events{EventFilter.Where(query, command)}";
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Groups by reason code, most frequent first (ties by code). An event with several codes counts once in each
    /// of their groups; samples are the most recently received events of each group.
    /// </summary>
    public async Task<IReadOnlyList<QuarantineGroup>> QuarantineByReasonAsync(int samplePerGroup, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samplePerGroup);
        await using var connection = OpenRead();
        // One read transaction, so counts and samples see the same snapshot.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        const string Pairs = """
            SELECT DISTINCT r.value ->> 'code' AS code, q.id AS id
            FROM quarantine AS q, json_each(q.reasons) AS r
            """;

        var counts = new List<(string Code, long Count)>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = $"SELECT code, count(*) AS n FROM ({Pairs}) GROUP BY code ORDER BY n DESC, code";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                counts.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        var samples = counts.ToDictionary(c => c.Code, _ => new List<QuarantinedEvent>());
        if (samplePerGroup > 0)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"""
                WITH ranked AS (
                    SELECT p.code AS code, q.*,
                           row_number() OVER (PARTITION BY p.code ORDER BY q.received_at DESC, q.id) AS rn
                    FROM ({Pairs}) AS p JOIN quarantine AS q ON q.id = p.id
                )
                SELECT code, {QuarantineRow.Columns} FROM ranked WHERE rn <= $n ORDER BY code, rn
                """;
            command.Parameters.AddWithValue("$n", samplePerGroup);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                samples[reader.GetString(0)].Add(QuarantineRow.Read(reader, first: 1));
            }
        }

        return counts.Select(c => new QuarantineGroup(c.Code, c.Count, samples[c.Code])).ToList();
    }

    /// <summary>Every quarantined event, oldest received first.</summary>
    public async IAsyncEnumerable<QuarantinedEvent> ReadQuarantineAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {QuarantineRow.Columns} FROM quarantine ORDER BY received_at, id";
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return QuarantineRow.Read(reader);
        }
    }

    /// <summary>Roll-up rows ordered by day, name, environment, source and dimensions; both ends of the day range are included.</summary>
    public async Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        var clauses = new List<string>(3);
        if (query.Name is not null)
        {
            clauses.Add("name = $name");
            command.Parameters.AddWithValue("$name", query.Name);
        }

        // 'YYYY-MM-DD' text sorts like the dates it names.
        if (query.From is { } from)
        {
            clauses.Add("day >= $from");
            command.Parameters.AddWithValue("$from", UnixTime.DayText(from));
        }

        if (query.To is { } to)
        {
            clauses.Add("day <= $to");
            command.Parameters.AddWithValue("$to", UnixTime.DayText(to));
        }

        var where = clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
        command.CommandText = $"SELECT day, name, environment, source, count, dimensions FROM rollups_daily{where} ORDER BY day, name, environment, source, dimensions";
        var rows = new List<RollupRow>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new RollupRow(UnixTime.ParseDay(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5)));
        }

        return rows;
    }

    /// <summary>Every identity link, earliest first.</summary>
    public async Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken ct = default)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT from_id, to_user_id, kind, at FROM identity_links ORDER BY at, from_id, to_user_id";
        var links = new List<IdentityLink>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            links.Add(new IdentityLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixTime.FromMs(reader.GetInt64(3))));
        }

        return links;
    }

    /// <summary>Actors whose latest opt-out state is "opted out", by id.</summary>
    public async Task<IReadOnlyList<string>> ReadOptedOutAsync(CancellationToken ct = default)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT actor_id FROM opt_outs WHERE opted_out = 1 ORDER BY actor_id";
        var actors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            actors.Add(reader.GetString(0));
        }

        return actors;
    }
}
