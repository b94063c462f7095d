namespace Tally.Core.Plans;

/// <summary>An event name with equality conditions on its properties, e.g. <c>aurora_intent_detected(intent=track_order)</c>.</summary>
/// <param name="Where">Property name (dotted for nested fields) to the value it must equal, as written in the plan.</param>
public sealed record EventFilter(string Event, IReadOnlyDictionary<string, string> Where, SourceLocation Location)
{
    /// <summary>Matches every event; used by KPIs such as WAU ("any tracked event").</summary>
    public const string AnyEvent = "*";

    public static EventFilter Of(string @event, params (string Key, string Value)[] where) =>
        new(@event, where.ToDictionary(w => w.Key, w => w.Value), SourceLocation.None);

    public override string ToString() =>
        Where.Count == 0 ? Event : $"{Event}({string.Join(", ", Where.Select(w => $"{w.Key}={w.Value}"))})";
}
