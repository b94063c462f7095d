using System.Collections.Concurrent;
using Tally.Core.Privacy;

namespace Tally.Core.Pipeline;

/// <summary>
/// Ids whose subject was deleted (GDPR): later events carrying one are dropped and counted. The ids are held only as
/// keyed hashes (HMAC-SHA256 with the deployment's salt, as <see cref="PropertyHasher"/>), so the list itself does not
/// keep the personal data it exists to keep out. Checking costs nothing while the list is empty.
/// </summary>
public sealed class SuppressionList(PropertyHasher hasher)
{
    private readonly ConcurrentDictionary<string, byte> _hashes = new(StringComparer.Ordinal);

    public PropertyHasher Hasher => hasher;

    public int Count => _hashes.Count;

    public string HashOf(string id) => hasher.Hash(id);

    public void AddHash(string hash) => _hashes.TryAdd(hash, 0);

    public bool IsSuppressed(string? id) => id is not null && !_hashes.IsEmpty && _hashes.ContainsKey(hasher.Hash(id));

    /// <summary>True when any of an event's ids is suppressed.</summary>
    public bool AnySuppressed(string? anonymousId, string? userId, string? sessionId, string? previousId = null) =>
        !_hashes.IsEmpty && (IsSuppressed(anonymousId) || IsSuppressed(userId) || IsSuppressed(sessionId) || IsSuppressed(previousId));
}
