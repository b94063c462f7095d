namespace Tally.Core.Plans;

public enum EnvelopeFormat
{
    /// <summary>The Segment spec: <c>event</c>, <c>messageId</c>, <c>anonymousId</c>, <c>userId</c>, <c>properties</c>, <c>context</c>.</summary>
    Segment,
    /// <summary>A flat object whose fields sit beside the event name (seed 002), or a named bag (seed 001's <c>properties</c>).</summary>
    Flat,
}

/// <summary>
/// Where the standard fields live in an incoming payload. Each path is dotted and relative to the payload root,
/// e.g. <c>properties.sessionId</c>. <see cref="Properties"/> names the object holding event properties; empty
/// means the payload root itself (every field that is not an envelope field is a property).
/// </summary>
public sealed record EnvelopeDefinition
{
    public EnvelopeFormat Format { get; init; } = EnvelopeFormat.Segment;
    public string Event { get; init; } = "event";
    public string Timestamp { get; init; } = "timestamp";
    public string EventId { get; init; } = "messageId";
    public string AnonymousId { get; init; } = "anonymousId";
    public string UserId { get; init; } = "userId";
    public string? SessionId { get; init; }
    public string? Environment { get; init; }
    public string? Source { get; init; }
    public string? SentAt { get; init; } = "sentAt";
    public string Properties { get; init; } = "properties";
    /// <summary>
    /// Fields outside the property bag that are lifted into the properties and validated with them
    /// (seed 001's <c>organization_id</c>, <c>event_type</c>, <c>version</c> sit beside <c>properties</c>).
    /// </summary>
    public IReadOnlyList<string> Extra { get; init; } = [];
    /// <summary>A field holding how many occurrences one payload stands for (seed 004's pre-counted <c>count</c>); absent means 1.</summary>
    public string? Count { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;

    public static EnvelopeDefinition SegmentDefault { get; } = new();
}
