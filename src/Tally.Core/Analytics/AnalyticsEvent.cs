using Tally.Core.Events;

namespace Tally.Core.Analytics;

/// <summary>
/// The slice of a stored event that analytics reads: what happened, when, by whom, and its scalar properties.
/// Stores hand these to the engines; a SQL store computes the same numbers from the same fields.
/// </summary>
/// <param name="TimestampMs">Unix milliseconds (UTC) of <see cref="CollectedEvent.Timestamp"/>.</param>
/// <param name="Properties">
/// Scalar property values as invariant text, nested object fields under dotted keys (<c>decision.department</c>);
/// arrays are left out because filters and group-bys compare single values.
/// </param>
/// <param name="Count">How many occurrences the record stands for (pre-counted payloads); 1 otherwise.</param>
public sealed record AnalyticsEvent(
    string Name,
    long TimestampMs,
    string? SessionId,
    string? AnonymousId,
    string? UserId,
    IReadOnlyDictionary<string, string?> Properties,
    long Count = 1)
{
    private static readonly IReadOnlyDictionary<string, string?> NoProperties = new Dictionary<string, string?>();

    /// <summary>An event without properties, mostly for tests.</summary>
    public static AnalyticsEvent Of(string name, long timestampMs, string? sessionId = null, string? anonymousId = null, string? userId = null) =>
        new(name, timestampMs, sessionId, anonymousId, userId, NoProperties);

    /// <summary>The analytics view of a stored event, properties flattened from its JSON.</summary>
    public static AnalyticsEvent From(CollectedEvent e) =>
        new(e.Name, e.Timestamp.ToUnixTimeMilliseconds(), e.SessionId, e.AnonymousId, e.UserId,
            PropertyFlattener.Flatten(e.PropertiesJson), e.Count);

    /// <summary>The property's value, or null when the event does not carry it (or carries JSON null).</summary>
    public string? Property(string key) => Properties.TryGetValue(key, out var v) ? v : null;
}
