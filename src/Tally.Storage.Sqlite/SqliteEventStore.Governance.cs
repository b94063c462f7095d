using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tally.Core.Governance;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite;

/// <summary>
/// GDPR deletion, the suppression list and the audit log on the embedded store. Id lists travel as one JSON array
/// parameter read with <c>json_each</c>, so no id is ever written into SQL text.
/// </summary>
public sealed partial class SqliteEventStore : ISubjectStore, IAuditLog
{
    /// <summary>The quarantine payload's id fields (QuarantinePayload); a payload that is not JSON carries none.</summary>
    private const string QuarantineIds = """
        (CASE WHEN json_valid(payload) THEN json_extract(payload, '$.anonymousId') END) IN ids
        OR (CASE WHEN json_valid(payload) THEN json_extract(payload, '$.userId') END) IN ids
        OR (CASE WHEN json_valid(payload) THEN json_extract(payload, '$.sessionId') END) IN ids
        OR (CASE WHEN json_valid(payload) THEN json_extract(payload, '$.previousId') END) IN ids
        """;

    public async Task<IReadOnlyList<string>> ResolveSubjectAsync(Subject subject, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrEmpty(subject.Id);
        var ids = SubjectIds.Of(subject, await ReadIdentityLinksAsync(ct).ConfigureAwait(false));
        if (subject.Kind == SubjectKind.Session) return ids;

        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            WITH ids(id) AS (SELECT value FROM json_each($ids))
            SELECT DISTINCT session_id FROM events
            WHERE session_id IS NOT NULL AND (anonymous_id IN ids OR user_id IN ids OR previous_id IN ids)
            """;
        command.Parameters.AddWithValue("$ids", JsonArray(ids));
        var all = new SortedSet<string>(ids, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) all.Add(reader.GetString(0));
        return [.. all];
    }

    /// <summary>
    /// One transaction with <c>secure_delete</c> on, so the removed rows' bytes are overwritten in the file rather than
    /// left in free pages, then a truncating checkpoint, so the write-ahead log keeps no older copy of those pages.
    /// </summary>
    public async Task<ErasedRows> EraseIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return new ErasedRows(0, 0, 0, 0);
        var json = JsonArray(ids);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var connection = Writer().Connection;
            Execute(connection, null, "PRAGMA secure_delete = ON", json);
            try
            {
                ErasedRows erased;
                using (var tx = connection.BeginTransaction(deferred: false))
                {
                    erased = new ErasedRows(
                        Execute(connection, tx, "DELETE FROM events WHERE anonymous_id IN ids OR user_id IN ids OR session_id IN ids OR previous_id IN ids", json),
                        Execute(connection, tx, $"DELETE FROM quarantine WHERE {QuarantineIds}", json),
                        Execute(connection, tx, "DELETE FROM identity_links WHERE from_id IN ids OR to_user_id IN ids", json),
                        Execute(connection, tx, "DELETE FROM opt_outs WHERE actor_id IN ids", json));
                    ct.ThrowIfCancellationRequested();
                    tx.Commit();
                }

                // The analytics projection only appends; it must forget the erased rows (and links) now.
                InvalidateAnalyticsProjection();
                Execute(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)", json);
                return erased;
            }
            finally
            {
                Execute(connection, null, "PRAGMA secure_delete = OFF", json);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task AddSuppressedAsync(IReadOnlyCollection<string> hashes, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0) return;
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var connection = Writer().Connection;
            using var tx = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "INSERT OR IGNORE INTO suppressed_subjects (hash, at) SELECT value, $at FROM json_each($ids)";
            command.Parameters.AddWithValue("$ids", JsonArray(hashes));
            command.Parameters.AddWithValue("$at", UnixTime.ToMs(at));
            command.ExecuteNonQuery();
            tx.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<string>> ReadSuppressedAsync(CancellationToken ct = default)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash FROM suppressed_subjects ORDER BY hash";
        var hashes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) hashes.Add(reader.GetString(0));
        return hashes;
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var command = Writer().Connection.CreateCommand();
            command.CommandText = """
                INSERT INTO audit_log (at, actor, role, action, target, outcome, detail)
                VALUES ($at, $actor, $role, $action, $target, $outcome, $detail)
                """;
            command.Parameters.AddWithValue("$at", UnixTime.ToMs(entry.At));
            command.Parameters.AddWithValue("$actor", entry.Actor);
            command.Parameters.AddWithValue("$role", entry.Role);
            command.Parameters.AddWithValue("$action", entry.Action);
            command.Parameters.AddWithValue("$target", entry.Target);
            command.Parameters.AddWithValue("$outcome", entry.Outcome);
            command.Parameters.AddWithValue("$detail", entry.Detail);
            command.ExecuteNonQuery();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Newest first; <c>From &lt;= at &lt; To</c>; lines of one millisecond in the reverse of their writing.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        var clauses = new List<string>(3);
        if (query.From is { } from)
        {
            clauses.Add("at >= $from");
            command.Parameters.AddWithValue("$from", UnixTime.ToMs(from));
        }

        if (query.To is { } to)
        {
            clauses.Add("at < $to");
            command.Parameters.AddWithValue("$to", UnixTime.ToMs(to));
        }

        if (query.Action is { } action)
        {
            clauses.Add("action = $action");
            command.Parameters.AddWithValue("$action", action);
        }

        var where = clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
        command.CommandText = $"SELECT at, actor, role, action, target, outcome, detail FROM audit_log{where} ORDER BY at DESC, seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(UnixTime.FromMs(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return entries;
    }

    /// <summary>Runs one statement with the id list bound as <c>ids</c>; returns the rows it changed.</summary>
    private static long Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, string idsJson)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql.StartsWith("PRAGMA", StringComparison.Ordinal) ? sql : $"WITH ids(id) AS (SELECT value FROM json_each($ids)) {sql}";
        if (!sql.StartsWith("PRAGMA", StringComparison.Ordinal)) command.Parameters.AddWithValue("$ids", idsJson);
        return command.ExecuteNonQuery();
    }

    private static string JsonArray(IEnumerable<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
