using System.Collections.Concurrent;

namespace Tally.Core.Pipeline;

/// <summary>
/// Which actors (user ids and anonymous ids) have opted out, applied from the moment their opt-out was received.
/// In memory for speed; the collector persists every change through the store and warms this at start.
/// </summary>
public sealed class OptOutRegistry
{
    private readonly ConcurrentDictionary<string, bool> _optedOut = new(StringComparer.Ordinal);

    public bool IsOptedOut(string? userId, string? anonymousId) =>
        (userId is not null && _optedOut.ContainsKey(userId)) || (anonymousId is not null && _optedOut.ContainsKey(anonymousId));

    public void Set(string actorId, bool optedOut)
    {
        if (optedOut) _optedOut[actorId] = true;
        else _optedOut.TryRemove(actorId, out _);
    }

    public int Count => _optedOut.Count;
}
