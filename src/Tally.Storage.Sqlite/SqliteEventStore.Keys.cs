using Microsoft.Data.Sqlite;
using Tally.Core.Governance;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite;

/// <summary>
/// The key store on the same file. Key changes are rare, so each opens a connection of its own under the write gate
/// (SQLite's busy timeout makes it wait for another process's writer) rather than adding statements to the event writer.
/// </summary>
public sealed partial class SqliteEventStore : IKeyStore
{
    public async Task CreateKeyAsync(StoredApiKey key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await WriteKeysAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO api_keys (id, name, role, environment, created_at, key_hash, revoked_at)
                VALUES ($id, $name, $role, $env, $created, $hash, NULL)
                """;
            command.Parameters.AddWithValue("$id", key.Id);
            command.Parameters.AddWithValue("$name", key.Name);
            command.Parameters.AddWithValue("$role", key.Role);
            command.Parameters.AddWithValue("$env", (object?)key.Environment ?? DBNull.Value);
            command.Parameters.AddWithValue("$created", UnixTime.ToMs(key.CreatedAt));
            command.Parameters.AddWithValue("$hash", key.Hash);
            command.ExecuteNonQuery();
            return 0;
        }, ct).ConfigureAwait(false);
    }

    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return await WriteKeysAsync(connection =>
        {
            using var command = connection.CreateCommand();
            // COALESCE keeps the first revocation time when revoked twice; changes() still counts the matched row.
            command.CommandText = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $at) WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$at", UnixTime.ToMs(at));
            return command.ExecuteNonQuery() > 0;
        }, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListKeysAsync(CancellationToken ct = default)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, role, environment, created_at, key_hash, revoked_at FROM api_keys ORDER BY created_at, id";
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var keys = new List<StoredApiKey>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            keys.Add(new StoredApiKey(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                UnixTime.FromMs(reader.GetInt64(4)),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : UnixTime.FromMs(reader.GetInt64(6))));
        }

        return keys;
    }

    private async Task<T> WriteKeysAsync<T>(Func<SqliteConnection, T> write, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Writer();
            using var connection = new SqliteConnection(_writeConnectionString);
            connection.Open();
            // One statement each, so autocommit is the transaction; the busy timeout waits out another writer.
            return write(connection);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
