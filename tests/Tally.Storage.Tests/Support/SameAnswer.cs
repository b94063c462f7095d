using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tally.Storage.Tests.Support;

/// <summary>
/// Compares two analytics results as JSON trees: every name, count, order and null must agree, and doubles may differ
/// by 1e-9 relative to their size (a store may add up in another order than the engine).
/// </summary>
internal static class SameAnswer
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static void Assert<T>(T expected, T actual, string what)
    {
        var e = JsonSerializer.SerializeToNode(expected, Options);
        var a = JsonSerializer.SerializeToNode(actual, Options);
        if (Difference(e, a, "$") is { } where)
        {
            Xunit.Assert.Fail($"{what}: differs at {where}\nengine:\n{e?.ToJsonString(Options)}\nstore:\n{a?.ToJsonString(Options)}");
        }
    }

    private static string? Difference(JsonNode? e, JsonNode? a, string path)
    {
        switch (e, a)
        {
            case (null, null):
                return null;
            case (JsonObject eo, JsonObject ao):
                foreach (var (key, value) in eo)
                {
                    if (!ao.ContainsKey(key)) return $"{path}.{key} (missing)";
                    if (Difference(value, ao[key], $"{path}.{key}") is { } d) return d;
                }

                return eo.Count == ao.Count ? null : $"{path} (extra members)";
            case (JsonArray ea, JsonArray aa):
                if (ea.Count != aa.Count) return $"{path} (length {ea.Count} vs {aa.Count})";
                for (var i = 0; i < ea.Count; i++)
                {
                    if (Difference(ea[i], aa[i], $"{path}[{i}]") is { } d) return d;
                }

                return null;
            case (JsonValue ev, JsonValue av) when ev.GetValueKind() == JsonValueKind.Number && av.GetValueKind() == JsonValueKind.Number:
                double x = ev.GetValue<double>(), y = av.GetValue<double>();
                return Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y))) ? null : $"{path} ({x:R} vs {y:R})";
            case (JsonValue ev, JsonValue av):
                return ev.ToJsonString() == av.ToJsonString() ? null : $"{path} ({ev.ToJsonString()} vs {av.ToJsonString()})";
            default:
                return $"{path} ({e?.ToJsonString() ?? "null"} vs {a?.ToJsonString() ?? "null"})";
        }
    }
}
