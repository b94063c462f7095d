using System.Text.Json;

namespace Tally.Core.Pipeline;

/// <summary>
/// An incoming payload after the plan's envelope was applied: standard fields pulled out, properties gathered.
/// Values still refer to the request's parsed JSON and are raw: nothing here may be written before privacy runs.
/// </summary>
public sealed class MappedEvent
{
    public string? Name { get; set; }
    public string Type { get; set; } = "track";
    public string? EventId { get; set; }
    public string? TimestampText { get; set; }
    public string? SentAtText { get; set; }
    public string? AnonymousId { get; set; }
    public string? UserId { get; set; }
    public string? SessionId { get; set; }
    public string? Environment { get; set; }
    public string? Source { get; set; }
    public string? PreviousId { get; set; }
    public long Count { get; set; } = 1;
    public Dictionary<string, JsonElement> Properties => _properties ??= new(StringComparer.Ordinal);
    private Dictionary<string, JsonElement>? _properties;
    /// <summary>Names of personal context fields the payload carried (Segment <c>context.ip</c>, <c>userAgent</c>, <c>traits</c>); never kept.</summary>
    public List<string> DroppedContext { get; } = [];
    /// <summary>Properties whose values are already privacy-transformed (a quarantined event being replayed).</summary>
    public HashSet<string>? AlreadyTransformed { get; set; }
    /// <summary>Of those, the ones hashed only because no plan declared them when the event was quarantined.</summary>
    public HashSet<string>? Unvetted { get; set; }
    /// <summary>Problems the transport found before the plan was consulted (e.g. bytes that were not UTF-8).</summary>
    public List<Tally.Core.Events.Violation> IngestViolations => _ingestViolations ??= [];
    /// <summary>Whether <see cref="IngestViolations"/> holds any, without creating the list (almost never).</summary>
    public bool HasIngestViolations => _ingestViolations is { Count: > 0 };
    private List<Tally.Core.Events.Violation>? _ingestViolations;

    /// <summary>
    /// Makes <see cref="Properties"/> an empty dictionary sized for <paramref name="count"/> properties: the mapper knows
    /// the count from the payload, and growing from the default size allocated the entries twice for most events.
    /// </summary>
    internal void SizeProperties(int count)
    {
        if (_properties is null or { Count: 0 }) _properties = new Dictionary<string, JsonElement>(count, StringComparer.Ordinal);
    }
    /// <summary>Size of the payload as received, in bytes.</summary>
    public int RawBytes { get; set; }
}
