using System.Text.Json;
using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Server.Query;

/// <summary>
/// Reads the body of <c>POST /v1/query/funnel</c> into a <see cref="FunnelQuery"/>, checking it against the plan so a
/// typo is a 400 naming it rather than a funnel of zeros:
/// <code>{"steps": [{"event": "aurora_intent_detected", "where": {"intent": "track_order"}}, {"event": "aurora_order_tracked"}],
///  "window": "30m", "unit": "session", "from": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z", "breakdownBy": "intent"}</code>
/// A step may also be a bare event name. <c>window</c> (default 30m), <c>unit</c> (session, user or anonymous; default
/// session), <c>from</c>/<c>to</c> (default: the query string's, then the last 7 days) and <c>breakdownBy</c> are optional.
/// </summary>
public static class AdhocFunnel
{
    public const int MaxSteps = 32;
    private static readonly string[] Fields = ["steps", "window", "unit", "from", "to", "breakdownBy"];

    public static (FunnelQuery? Query, QueryError? Error) Parse(JsonElement body, TrackingPlan plan, string? fromQuery, string? toQuery, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object) return Fail("bad_body", "the body must be a JSON object with a 'steps' array");
        foreach (var p in body.EnumerateObject())
        {
            if (!Fields.Contains(p.Name, StringComparer.Ordinal))
                return Fail("unknown_field", $"unknown field '{p.Name}' (expected {string.Join(", ", Fields)}){Suggest.Hint(p.Name, Fields)}");
        }

        if (!body.TryGetProperty("steps", out var stepsJson) || stepsJson.ValueKind != JsonValueKind.Array)
            return Fail("bad_steps", "'steps' must be an array of steps, each {\"event\": NAME, \"where\": {PROPERTY: VALUE}}");
        var count = stepsJson.GetArrayLength();
        if (count < 2) return Fail("too_few_steps", $"a funnel needs at least 2 steps; the body has {count}");
        if (count > MaxSteps) return Fail("too_many_steps", $"a funnel has at most {MaxSteps} steps; the body has {count}");
        var steps = new List<EventFilter>(count);
        var i = 0;
        foreach (var s in stepsJson.EnumerateArray())
        {
            i++;
            var (filter, error) = Step(s, i, plan);
            if (error is not null) return (null, error);
            steps.Add(filter!);
        }

        var window = TimeSpan.FromMinutes(30);
        if (body.TryGetProperty("window", out var w))
        {
            if (w.ValueKind != JsonValueKind.String || !PlanDuration.TryParse(w.GetString(), out window) || window <= TimeSpan.Zero)
                return Fail("bad_window", $"'window' must be a positive duration such as \"30m\", \"24h\" or \"14d\"; got {Shorten(w.GetRawText())}");
        }

        var unit = CountingUnit.Session;
        if (body.TryGetProperty("unit", out var u))
        {
            if (QueryNames.ActorUnit(u.ValueKind == JsonValueKind.String ? u.GetString() : null) is not { } parsed)
                return Fail("bad_unit", $"'unit' must be \"session\", \"user\" or \"anonymous\"; got {Shorten(u.GetRawText())}");
            unit = parsed;
        }

        string? breakdownBy = null;
        if (body.TryGetProperty("breakdownBy", out var b) && b.ValueKind != JsonValueKind.Null)
        {
            if (b.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(b.GetString()))
                return Fail("bad_breakdown", "'breakdownBy' must be a property name");
            breakdownBy = b.GetString();
        }

        var from = Text(body, "from") ?? fromQuery;
        var to = Text(body, "to") ?? toQuery;
        if (body.TryGetProperty("from", out var fj) && fj.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return Fail("bad_range", "'from' must be an ISO 8601 string");
        if (body.TryGetProperty("to", out var tj) && tj.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return Fail("bad_range", "'to' must be an ISO 8601 string");
        var (range, rangeError) = QueryRange.Parse(from, to, now);
        if (rangeError is not null) return (null, rangeError);
        return (new FunnelQuery(steps, window, unit, range!, breakdownBy), null);
    }

    private static (EventFilter? Filter, QueryError? Error) Step(JsonElement s, int index, TrackingPlan plan)
    {
        string? name;
        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        if (s.ValueKind == JsonValueKind.String)
        {
            name = s.GetString();
        }
        else if (s.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in s.EnumerateObject())
            {
                if (p.Name is not ("event" or "where"))
                    return StepFail("bad_step", $"step {index} has an unknown field '{p.Name}' (expected event, where){Suggest.Hint(p.Name, ["event", "where"])}");
            }
            name = s.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (s.TryGetProperty("where", out var w) && w.ValueKind != JsonValueKind.Null)
            {
                if (w.ValueKind != JsonValueKind.Object) return StepFail("bad_step", $"step {index}: 'where' must be an object of property: value");
                foreach (var c in w.EnumerateObject())
                {
                    if (c.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
                        return StepFail("bad_step", $"step {index}: where.{c.Name} must be a string, number or boolean");
                    where[c.Name] = PropertyFlattener.Scalar(c.Value);
                }
            }
        }
        else
        {
            return StepFail("bad_step", $"step {index} must be an object {{\"event\": NAME, \"where\": {{…}}}} or an event name");
        }

        if (string.IsNullOrEmpty(name)) return StepFail("bad_step", $"step {index} names no event");
        EventDefinition? definition = null;
        if (name != EventFilter.AnyEvent && (definition = plan.FindEvent(name)) is null)
            return StepFail("unknown_event", $"step {index}: unknown event '{Shorten(name)}' in plan {plan.Name}{Suggest.Hint(name, plan.Events.Select(x => x.Name))}");
        foreach (var key in where.Keys)
        {
            // Nested properties are compared under dotted keys; the top-level name must be one the plan declares.
            var head = key.Split('.')[0];
            var declared = definition is null
                ? plan.Properties.Concat(plan.Events.SelectMany(x => x.Properties)).Any(p => p.Name == head)
                : definition.Properties.Concat(plan.Properties).Any(p => p.Name == head);
            if (!declared)
            {
                var candidates = (definition?.Properties ?? []).Concat(plan.Properties).Select(p => p.Name).Distinct();
                return StepFail("unknown_property", $"step {index}: '{Shorten(key)}' is not a property of {name}{Suggest.Hint(head, candidates)}");
            }
        }
        return (new EventFilter(name, where, SourceLocation.None), null);
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static (FunnelQuery?, QueryError?) Fail(string code, string message) => (null, QueryError.BadRequest(code, message));

    private static (EventFilter?, QueryError?) StepFail(string code, string message) => (null, QueryError.BadRequest(code, message));

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
