namespace Tally.Core.Events;

/// <summary>
/// An event that failed the plan, kept with every reason so it can be fixed and replayed. Its payload has been
/// through the privacy policies like any stored event: quarantine never holds raw personal data.
/// </summary>
public sealed record QuarantinedEvent
{
    public required string Id { get; init; }
    /// <summary>The event id the client sent (or was given), so replay never creates a duplicate.</summary>
    public required string EventId { get; init; }
    public string? EventName { get; init; }
    public required IReadOnlyList<Violation> Reasons { get; init; }
    /// <summary>The payload after privacy policies, as JSON. Undeclared fields are dropped or hashed, never kept raw.</summary>
    public required string PayloadJson { get; init; }
    /// <summary>Where it came from: the endpoint and wire format (e.g. <c>segment:/v1/batch</c>).</summary>
    public required string Source { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public string? RequestId { get; init; }
    public string Environment { get; init; } = "production";
}
