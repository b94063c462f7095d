using Tally.Core.Events;

namespace Tally.Core.Storage;

/// <summary>
/// Everything one commit writes: accepted events, quarantined events and identity links. <paramref name="Fingerprints"/>,
/// when given, holds <see cref="EventIdFingerprint.Of"/> of each event's id, in the order of <paramref name="Events"/>:
/// work the caller did on its own thread so that a store's writer, which every commit waits for, need not. They are
/// keyed per process, so they are never persisted (the spool keeps batches without them).
/// </summary>
public sealed record WriteBatch(
    IReadOnlyList<CollectedEvent> Events,
    IReadOnlyList<QuarantinedEvent> Quarantined,
    IReadOnlyList<IdentityLink> Links,
    IReadOnlyList<UInt128>? Fingerprints = null)
{
    /// <summary>The fingerprints given, when there is one per event; otherwise null.</summary>
    public IReadOnlyList<UInt128>? GivenFingerprints => Fingerprints is { } given && given.Count == Events.Count ? given : null;

    /// <summary>The fingerprint of event <paramref name="i"/>: the one given, or computed now.</summary>
    public UInt128 FingerprintOf(int i) => GivenFingerprints is { } given ? given[i] : EventIdFingerprint.Of(Events[i].EventId);

    public static WriteBatch Of(params CollectedEvent[] events) => new(events, [], []);
}

/// <summary>Outcomes in the order of <see cref="WriteBatch.Events"/>, plus how many quarantined rows were new.</summary>
public sealed record WriteResult(IReadOnlyList<WriteOutcome> Events, int QuarantinedStored);
