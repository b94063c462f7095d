namespace Tally.Core.Pipeline;

/// <summary>What the collector knows about one request, the same for every event in it.</summary>
/// <param name="Source">Endpoint and wire format, e.g. <c>segment:/v1/batch</c>, <c>flat:/v1/events</c>, <c>file:events.ndjson</c>.</param>
/// <param name="Environment">The environment the write key is bound to, used when the payload names none.</param>
public sealed record IngestContext(DateTimeOffset ReceivedAt, string Source, string? RequestId = null, string? Environment = null);
