using Tally.Core.Events;

namespace Tally.Core.Storage;

/// <summary>Everything one commit writes: accepted events, quarantined events and identity links.</summary>
public sealed record WriteBatch(
    IReadOnlyList<CollectedEvent> Events,
    IReadOnlyList<QuarantinedEvent> Quarantined,
    IReadOnlyList<IdentityLink> Links)
{
    public static WriteBatch Of(params CollectedEvent[] events) => new(events, [], []);
}

/// <summary>Outcomes in the order of <see cref="WriteBatch.Events"/>, plus how many quarantined rows were new.</summary>
public sealed record WriteResult(IReadOnlyList<WriteOutcome> Events, int QuarantinedStored);
