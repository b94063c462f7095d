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
    // Kept beside the dictionary because its Count and IsEmpty take every lock, and the pipeline asks for every event.
    private int _count;

    public PropertyHasher Hasher => hasher;

    public int Count => Volatile.Read(ref _count);

    public string HashOf(string id) => hasher.Hash(id);

    public void AddHash(string hash)
    {
        if (_hashes.TryAdd(hash, 0)) Interlocked.Increment(ref _count);
    }

    public bool IsSuppressed(string? id) => id is not null && Count > 0 && _hashes.ContainsKey(hasher.Hash(id));

    /// <summary>True when any of an event's ids is suppressed.</summary>
    public bool AnySuppressed(string? anonymousId, string? userId, string? sessionId, string? previousId = null) =>
        Count > 0 && (IsSuppressed(anonymousId) || IsSuppressed(userId) || IsSuppressed(sessionId) || IsSuppressed(previousId));
}
