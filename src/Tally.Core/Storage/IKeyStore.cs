using Tally.Core.Governance;

namespace Tally.Core.Storage;

/// <summary>
/// API keys kept by the store (table <c>api_keys</c>), so every collector and CLI on one store sees the same keys.
/// Only a key's SHA-256 hash is stored, never the key: whoever reads the store cannot call the API with what they read.
/// A revoked key stays listed (with its revocation time) so the audit trail and a 401 naming the revocation both work.
/// </summary>
public interface IKeyStore
{
    /// <summary>Adds a key durably. Its <see cref="StoredApiKey.RevokedAt"/> is ignored: a new key is active.</summary>
    Task CreateKeyAsync(StoredApiKey key, CancellationToken ct = default);

    /// <summary>Every key ever created, revoked ones included, oldest first (then by id).</summary>
    Task<IReadOnlyList<StoredApiKey>> ListKeysAsync(CancellationToken ct = default);

    /// <summary>Marks the key revoked at <paramref name="at"/>. False when no key has this id; revoking twice keeps the first time.</summary>
    Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken ct = default);
}
