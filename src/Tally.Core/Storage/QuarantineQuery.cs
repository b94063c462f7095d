using Tally.Core.Events;

namespace Tally.Core.Storage;

/// <summary>Quarantined events with one reason code, for the grouped listing.</summary>
public sealed record QuarantineGroup(string Reason, long Count, IReadOnlyList<QuarantinedEvent> Sample);
