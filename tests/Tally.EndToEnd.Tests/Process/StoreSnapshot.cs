using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// What the SQLite file holds for one event name, read by a fresh <see cref="SqliteEventStore"/> as any later reader
/// (an analyst, a restarted server) would see it: every raw row, and the roll-up total counted in the same commits.
/// </summary>
public sealed record StoreSnapshot(IReadOnlyList<CollectedEvent> Events, long RollupTotal)
{
    public static async Task<StoreSnapshot> ReadAsync(string databasePath, string eventName, CancellationToken ct)
    {
        await using var store = await SqliteEventStore.OpenAsync(databasePath, ct);
        var events = new List<CollectedEvent>();
        await foreach (var e in store.ReadEventsAsync(new EventQuery(eventName), ct)) events.Add(e);
        var rollups = await store.ReadRollupsAsync(new RollupQuery(eventName), ct);
        return new StoreSnapshot(events, rollups.Sum(r => r.Count));
    }

    /// <summary>Ids stored more than once, with how often: must always be empty.</summary>
    public IReadOnlyDictionary<string, int> DuplicatedIds =>
        Events.GroupBy(e => e.EventId).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.Count());

    public IReadOnlySet<string> Ids => Events.Select(e => e.EventId).ToHashSet();
}
