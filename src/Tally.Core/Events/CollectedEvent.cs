namespace Tally.Core.Events;

/// <summary>
/// An event that passed the plan: validated, privacy-transformed and enriched. This is the only shape that is
/// ever written to a store, so nothing in it may hold raw personal data.
/// </summary>
public sealed record CollectedEvent
{
    /// <summary>The client's message/event id, or one generated at receipt; the deduplication key.</summary>
    public required string EventId { get; init; }
    public required string Name { get; init; }
    /// <summary>Segment call type: track, page, screen, identify, group, alias; <c>track</c> for flat payloads.</summary>
    public string Type { get; init; } = "track";
    /// <summary>When the event happened (client time corrected by <c>sentAt</c>, or clamped to receipt).</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>Canonical server receive time.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The client's timestamp as sent, when it was clamped for lying too far in the future or past.</summary>
    public string? OriginalTimestamp { get; init; }
    public string? AnonymousId { get; init; }
    public string? UserId { get; init; }
    public string? SessionId { get; init; }
    public string Environment { get; init; } = "production";
    public string? Source { get; init; }
    /// <summary>The <c>x-request-id</c> of the HTTP request that carried it.</summary>
    public string? RequestId { get; init; }
    /// <summary>How many occurrences this record stands for (seed 004's pre-counted payloads); 1 otherwise.</summary>
    public long Count { get; init; } = 1;
    /// <summary>Only the daily roll-up is kept; the raw row is never stored (seed 004).</summary>
    public bool AggregateOnly { get; init; }
    /// <summary>
    /// The properties after privacy policies, as a compact JSON object. For an aggregate-only event only what its
    /// roll-up keeps as dimensions: the declared, non-identifying properties (<c>AggregateDimensions</c>).
    /// </summary>
    public string PropertiesJson { get; init; } = "{}";
    /// <summary>Alias calls: the id being merged into <see cref="UserId"/>.</summary>
    public string? PreviousId { get; init; }
}
