using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tally.Core.Tests.Plans;

/// <summary>
/// Builds, from plans/tally-plan.schema.json alone, a plan that uses every key the schema lists (nested sections
/// included), and remembers every mapping the schema closes with <c>additionalProperties: false</c>, so tests can
/// poke at each one. There is no JSON Schema validator package here; this walks the few keywords the schema uses.
/// </summary>
internal sealed class PlanSchemaSample
{
    /// <summary>Past this depth only required keys and the simplest alternatives are used, so recursive definitions end.</summary>
    private const int MaxDepth = 4;

    private readonly JsonElement _schema;
    private readonly List<Closed> _closed = [];

    /// <param name="Path">Where the object sits in <see cref="Document"/>, for failure messages.</param>
    /// <param name="Definition">The <c>$defs</c> name it was generated from, or <c>(root)</c>.</param>
    public sealed record Closed(string Path, string Definition, JsonObject Node, JsonElement Schema)
    {
        public IReadOnlyList<string> Keys => [.. Schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

        public IReadOnlyList<string> Required =>
            Schema.TryGetProperty("required", out var r) ? [.. r.EnumerateArray().Select(e => e.GetString()!)] : [];
    }

    public PlanSchemaSample(JsonElement schema)
    {
        _schema = schema;
        Document = (JsonObject)Generate(schema, "(root)", "", 0)!;
    }

    public JsonObject Document { get; }

    public IReadOnlyList<Closed> ClosedObjects => _closed;

    /// <summary>Follows <c>$ref</c>s to the definition they name; sibling keywords of a <c>$ref</c> are only documentation here.</summary>
    public (JsonElement Schema, string? Definition) Resolve(JsonElement s)
    {
        string? name = null;
        while (s.ValueKind == JsonValueKind.Object && s.TryGetProperty("$ref", out var r))
        {
            var reference = r.GetString()!;
            if (!reference.StartsWith("#/$defs/", StringComparison.Ordinal)) throw new NotSupportedException(reference);
            name = reference["#/$defs/".Length..];
            s = _schema.GetProperty("$defs").GetProperty(name);
        }
        return (s, name);
    }

    /// <summary>Every value an enum allows at <paramref name="s"/>, directly or in one of its alternatives.</summary>
    public IReadOnlyList<string> EnumValues(JsonElement s, out bool direct)
    {
        var (r, _) = Resolve(s);
        direct = r.TryGetProperty("enum", out var e);
        if (direct) return [.. e.EnumerateArray().Select(v => v.GetString()!)];
        if (!r.TryGetProperty("oneOf", out var one)) return [];
        return [.. one.EnumerateArray().SelectMany(b => EnumValues(b, out _))];
    }

    private JsonNode? Generate(JsonElement s, string definition, string path, int depth)
    {
        var (r, name) = Resolve(s);
        definition = name ?? definition;
        var deep = depth > MaxDepth;
        if (r.TryGetProperty("oneOf", out var one)) return Generate(Choose(one, deep), definition, path, depth);
        if (r.TryGetProperty("enum", out var values)) return JsonNode.Parse(values[0].GetRawText());
        if (r.TryGetProperty("examples", out var examples)) return JsonNode.Parse(examples[0].GetRawText());
        var types = Types(r);
        if (types.Contains("object")) return GenerateObject(r, definition, path, depth, deep);
        if (types.Contains("array")) return new JsonArray(Generate(r.GetProperty("items"), definition, path + "[0]", depth + 1));
        return types.FirstOrDefault() switch
        {
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(0.5),
            "boolean" => JsonValue.Create(true),
            _ => JsonValue.Create("x"),
        };
    }

    private JsonObject GenerateObject(JsonElement s, string definition, string path, int depth, bool deep)
    {
        var node = new JsonObject();
        var required = s.TryGetProperty("required", out var req) ? req.EnumerateArray().Select(e => e.GetString()).ToHashSet() : [];
        if (s.TryGetProperty("properties", out var props))
        {
            foreach (var p in props.EnumerateObject())
            {
                if (deep && !required.Contains(p.Name)) continue;
                node[p.Name] = Generate(p.Value, definition, $"{path}.{p.Name}", depth + 1);
            }
        }
        if (s.TryGetProperty("additionalProperties", out var extra))
        {
            if (extra.ValueKind == JsonValueKind.False)
                _closed.Add(new Closed(path.Length == 0 ? "(root)" : path, definition, node, s));
            else if (extra.ValueKind == JsonValueKind.Object && !deep)
                node["n1"] = Generate(extra, definition, $"{path}.n1", depth + 1);
        }
        return node;
    }

    /// <summary>The richest alternative near the top (an object, then a list), the simplest one deep down.</summary>
    private JsonElement Choose(JsonElement oneOf, bool deep)
    {
        var branches = oneOf.EnumerateArray().ToList();
        if (deep) return branches.FirstOrDefault(b => !Types(Resolve(b).Schema).Contains("object"), branches[0]);
        foreach (var kind in new[] { "object", "array" })
            foreach (var b in branches)
                if (Types(Resolve(b).Schema).Contains(kind)) return b;
        return branches[0];
    }

    private static List<string> Types(JsonElement s) =>
        !s.TryGetProperty("type", out var t) ? []
        : t.ValueKind == JsonValueKind.Array ? [.. t.EnumerateArray().Select(e => e.GetString()!)]
        : [t.GetString()!];
}
