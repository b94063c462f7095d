using Tally.Core.Governance;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Sql;
using Tally.Storage.ClickHouse.Writing;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// The key store in <c>api_keys</c>. A revocation appends a row with <c>revoked = 1</c> (ClickHouse 18.16 has no cheap
/// UPDATE); every read takes each id's latest row by <c>(at, seq)</c>, so it is right before and after merges.
/// </summary>
public sealed partial class ClickHouseEventStore : IKeyStore
{
    public async Task CreateKeyAsync(StoredApiKey key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            EnsureReady();
            await InsertKeyRowAsync(key, revoked: false, key.CreatedAt, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            EnsureReady();
            var current = (await ReadKeysAsync(id, ct).ConfigureAwait(false)).SingleOrDefault();
            if (current is null) return false;
            // Revoked already: the first revocation time stands, and nothing is appended.
            if (current.Revoked) return true;
            // Never before the creation row, or argMax over (at, seq) would still pick the creation row.
            await InsertKeyRowAsync(current, revoked: true, at < current.CreatedAt ? current.CreatedAt : at, ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListKeysAsync(CancellationToken ct = default)
    {
        EnsureReady();
        return await ReadKeysAsync(null, ct).ConfigureAwait(false);
    }

    private async Task<List<StoredApiKey>> ReadKeysAsync(string? id, CancellationToken ct)
    {
        var where = id is null ? "" : $" WHERE id = {SqlLiteral.String(id)}";
        var rows = await _http.QueryAsync(
            $"""
            SELECT id,
                   argMax(name, (at, seq)), argMax(role, (at, seq)), argMax(environment, (at, seq)),
                   argMax(created_at, (at, seq)), argMax(key_hash, (at, seq)),
                   argMax(revoked, (at, seq)), max(at)
            FROM api_keys{where}
            GROUP BY id
            ORDER BY argMax(created_at, (at, seq)), id
            """,
            8, ct).ConfigureAwait(false);
        return rows.Select(r => new StoredApiKey(
            r[0],
            r[1],
            r[2],
            r[3].Length == 0 ? null : r[3],
            UnixTime.FromMs(TabSeparated.Int64(r[4])),
            r[5],
            r[6] == "1" ? UnixTime.FromMs(TabSeparated.Int64(r[7])) : null)).ToList();
    }

    private Task InsertKeyRowAsync(StoredApiKey key, bool revoked, DateTimeOffset at, CancellationToken ct) =>
        _http.ExecuteAsync(
            "INSERT INTO api_keys (id, name, role, environment, created_at, key_hash, revoked, at, seq) VALUES (" +
            $"{SqlLiteral.String(key.Id)}, {SqlLiteral.String(key.Name)}, {SqlLiteral.String(key.Role)}, {SqlLiteral.String(key.Environment ?? "")}, " +
            $"{SqlLiteral.Int64(UnixTime.ToMs(key.CreatedAt))}, {SqlLiteral.String(key.Hash)}, {(revoked ? 1 : 0)}, {SqlLiteral.Int64(UnixTime.ToMs(at))}, {WriteSequence.Next()})",
            ct);
}
