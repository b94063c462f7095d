using System.Text.Json;
using Tally.Core.Governance;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Schema;
using Tally.Storage.ClickHouse.Sql;
using Tally.Storage.ClickHouse.Writing;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// GDPR deletion, the suppression list and the audit log on ClickHouse. Deletion is an <c>ALTER TABLE ... DELETE</c>
/// mutation per table (the rows are rewritten out of their parts, not hidden), waited for in <c>system.mutations</c>;
/// in the sharded layout the mutation of <c>events</c> runs on every node's local table, since a Distributed table
/// takes no ALTER. Mutations cannot read external tables, so the ids go in as literals, in chunks.
/// </summary>
public sealed partial class ClickHouseEventStore : ISubjectStore, IAuditLog
{
    private const int IdsPerMutation = 2000;
    private const string EventsMatch = "anonymous_id IN ids OR user_id IN ids OR session_id IN ids OR previous_id IN ids";
    private static readonly string[] QuarantineIdFields = ["anonymousId", "userId", "sessionId", "previousId"];

    public async Task<IReadOnlyList<string>> ResolveSubjectAsync(Subject subject, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentException.ThrowIfNullOrEmpty(subject.Id);
        var ids = SubjectIds.Of(subject, await ReadIdentityLinksAsync(ct).ConfigureAwait(false));
        if (subject.Kind == SubjectKind.Session) return ids;
        var rows = await _http.QueryAsync(
            "SELECT DISTINCT session_id FROM events WHERE session_id != '' AND (anonymous_id IN ids OR user_id IN ids OR previous_id IN ids)",
            1, ct, ExternalTable.Ids("ids", ids)).ConfigureAwait(false);
        var all = new SortedSet<string>(ids, StringComparer.Ordinal);
        foreach (var row in rows) all.Add(row[0]);
        return [.. all];
    }

    /// <summary>
    /// Finds the rows first (ids travel as an external table), then deletes them by keys that are not personal data:
    /// events by event id, links and opt-outs by their write sequence, quarantine by its row id. A mutation's text is
    /// kept by the server (<c>system.mutations</c>, the table's <c>mutation_*.txt</c> files), so it must not name the
    /// subject's ids.
    /// </summary>
    public async Task<ErasedRows> EraseIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) return new ErasedRows(0, 0, 0, 0);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            EnsureReady();
            var external = ExternalTable.Ids("ids", list);
            var eventIds = (await _http.QueryAsync($"SELECT DISTINCT event_id FROM events WHERE {EventsMatch}", 1, ct, external).ConfigureAwait(false))
                .Select(r => r[0]).ToList();
            var links = await _http.QueryAsync("SELECT seq, at FROM identity_links WHERE from_id IN ids OR to_user_id IN ids", 2, ct, external).ConfigureAwait(false);
            var optOuts = await _http.QueryAsync("SELECT seq, at FROM opt_outs WHERE actor_id IN ids", 2, ct, external).ConfigureAwait(false);
            var quarantined = await QuarantinedOfAsync(list, ct).ConfigureAwait(false);

            var eventsTable = _cluster is null ? "events" : "events" + ShardedSchema.LocalSuffix;
            var nodes = _cluster is null ? [_http] : (IReadOnlyList<ClickHouseHttp>)[_http, .. _cluster.Others];
            if (eventIds.Count > 0)
            {
                foreach (var node in nodes)
                {
                    foreach (var chunk in eventIds.Chunk(IdsPerMutation))
                    {
                        await node.ExecuteAsync($"ALTER TABLE {eventsTable} DELETE WHERE event_id IN ({string.Join(", ", chunk.Select(SqlLiteral.String))})", ct).ConfigureAwait(false);
                    }
                }
            }

            var entryTables = new List<string>();
            if (links.Count > 0)
            {
                await DeleteBySequenceAsync("identity_links", links, ct).ConfigureAwait(false);
                entryTables.Add("identity_links");
            }

            if (optOuts.Count > 0)
            {
                await DeleteBySequenceAsync("opt_outs", optOuts, ct).ConfigureAwait(false);
                entryTables.Add("opt_outs");
            }

            if (quarantined.Count > 0)
            {
                foreach (var chunk in quarantined.Chunk(IdsPerMutation))
                {
                    await _http.ExecuteAsync($"ALTER TABLE quarantine DELETE WHERE id IN ({string.Join(", ", chunk.Select(SqlLiteral.String))})", ct).ConfigureAwait(false);
                }

                entryTables.Add("quarantine");
            }

            if (eventIds.Count > 0)
            {
                foreach (var node in nodes) await Mutations.WaitAsync(node, [eventsTable], ct).ConfigureAwait(false);
            }

            await Mutations.WaitAsync(_http, entryTables, ct).ConfigureAwait(false);
            return new ErasedRows(eventIds.Count, quarantined.Count, links.Count, optOuts.Count);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Deletes rows of a table with <c>seq</c> and <c>at</c> columns by those two numbers: a row is another's only if it
    /// was written in the same clock tick and millisecond, which the write sequence makes as good as impossible.
    /// </summary>
    private async Task DeleteBySequenceAsync(string table, IReadOnlyList<string[]> keys, CancellationToken ct)
    {
        foreach (var chunk in keys.Chunk(IdsPerMutation))
        {
            // Parsed and written back, so only numbers reach the SQL text.
            var seqs = string.Join(", ", chunk.Select(k => ulong.Parse(k[0], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct());
            var ats = string.Join(", ", chunk.Select(k => SqlLiteral.Int64(TabSeparated.Int64(k[1]))).Distinct());
            await _http.ExecuteAsync($"ALTER TABLE {table} DELETE WHERE seq IN ({seqs}) AND at IN ({ats})", ct).ConfigureAwait(false);
        }
    }

    public async Task AddSuppressedAsync(IReadOnlyCollection<string> hashes, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0) return;
        EnsureReady();
        using var rows = new JsonEachRow();
        foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
        {
            var w = rows.Begin();
            w.WriteString("hash"u8, hash);
            w.WriteNumber("at"u8, UnixTime.ToMs(at));
            rows.End();
        }

        await _http.InsertAsync("suppressed_subjects", rows, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ReadSuppressedAsync(CancellationToken ct = default)
    {
        EnsureReady();
        var rows = await _http.QueryAsync("SELECT DISTINCT hash FROM suppressed_subjects ORDER BY hash", 1, ct).ConfigureAwait(false);
        return rows.Select(r => r[0]).ToList();
    }

    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        EnsureReady();
        using var row = new JsonEachRow();
        var w = row.Begin();
        w.WriteNumber("at"u8, UnixTime.ToMs(entry.At));
        w.WriteNumber("seq"u8, WriteSequence.Next());
        w.WriteString("actor"u8, entry.Actor);
        w.WriteString("role"u8, entry.Role);
        w.WriteString("action"u8, entry.Action);
        w.WriteString("target"u8, entry.Target);
        w.WriteString("outcome"u8, entry.Outcome);
        w.WriteString("detail"u8, entry.Detail);
        row.End();
        await _http.InsertAsync("audit_log", row, ct).ConfigureAwait(false);
    }

    /// <summary>Newest first; <c>From &lt;= at &lt; To</c>; lines of one millisecond in the reverse of their writing.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureReady();
        var clauses = new List<string>(3);
        if (query.From is { } from) clauses.Add($"at >= {SqlLiteral.Int64(UnixTime.ToMs(from))}");
        if (query.To is { } to) clauses.Add($"at < {SqlLiteral.Int64(UnixTime.ToMs(to))}");
        if (query.Action is { } action) clauses.Add($"action = {SqlLiteral.String(action)}");
        var where = clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
        var rows = await _http.QueryAsync(
            $"SELECT at, actor, role, action, target, outcome, detail FROM audit_log{where} ORDER BY at DESC, seq DESC LIMIT {SqlLiteral.Int64(Math.Max(0, query.Limit))}",
            7, ct).ConfigureAwait(false);
        return rows.Select(r => new AuditEntry(UnixTime.FromMs(TabSeparated.Int64(r[0])), r[1], r[2], r[3], r[4], r[5], r[6])).ToList();
    }

    /// <summary>
    /// Quarantine rows whose payload carries one of the ids. The ids are fields of a JSON payload (QuarantinePayload),
    /// which 18.16 cannot take apart reliably, so the payloads are read and parsed here; quarantine is small next to
    /// the events, and deletion is rare.
    /// </summary>
    private async Task<List<string>> QuarantinedOfAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var found = new List<string>();
        await foreach (var row in _http.StreamAsync("SELECT id, payload FROM quarantine", 2, ct).ConfigureAwait(false))
        {
            if (Carries(row[1], wanted)) found.Add(row[0]);
        }

        return found;
    }

    private static bool Carries(string payload, HashSet<string> ids)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            foreach (var field in QuarantineIdFields)
            {
                if (doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && ids.Contains(v.GetString()!)) return true;
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
