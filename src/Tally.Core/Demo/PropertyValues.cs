using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>
/// Turns profile text into JSON of the plan property's type, and says whether a value would pass the plan. The
/// generator writes with the first, <see cref="TrafficProfileCheck"/> vets a profile's constants with the second.
/// </summary>
public static class PropertyValues
{
    public const string IsoFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The text as the property's type writes it; without a definition, booleans and numbers are recognised.</summary>
    public static JsonNode Typed(string text, PropertyDefinition? def)
    {
        switch (def?.Type)
        {
            case PropertyType.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l):
                return JsonValue.Create(l);
            case PropertyType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return JsonValue.Create(d);
            case PropertyType.Boolean when bool.TryParse(text, out var b):
                return JsonValue.Create(b);
            case null:
                if (bool.TryParse(text, out var ib)) return JsonValue.Create(ib);
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var il) && !text.StartsWith('0')) return JsonValue.Create(il);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var id) && text.Contains('.') && !text.StartsWith('0')) return JsonValue.Create(id);
                return JsonValue.Create(text);
            default:
                return JsonValue.Create(text);
        }
    }

    /// <summary>A value drawn without knowing its property (a flow variable), re-typed for the property it lands in.</summary>
    public static JsonNode Retype(JsonNode node, PropertyDefinition? def)
    {
        if (def is null || node is not JsonValue v) return node.DeepClone();
        var text = v.TryGetValue<string>(out var s) ? s : v.ToJsonString();
        return def.Type switch
        {
            PropertyType.String or PropertyType.Enum or PropertyType.Timestamp or PropertyType.Integer or PropertyType.Number or PropertyType.Boolean => Typed(text, def),
            _ => node.DeepClone(),
        };
    }

    /// <summary>Why the plan would refuse <paramref name="value"/> for <paramref name="def"/>, or null if it passes.</summary>
    public static string? Problem(PropertyDefinition def, JsonNode? value)
    {
        if (value is null) return null;
        switch (def.Type)
        {
            case PropertyType.String:
                if (!IsString(value, out var s)) return "must be a string";
                if (def.MaxLength is { } max && s.Length > max) return $"is longer than {max} characters";
                if (def.Pattern is { } p && !Regex.IsMatch(s, p, RegexOptions.CultureInvariant)) return $"does not match the pattern {p}";
                return null;
            case PropertyType.Enum:
                if (!IsString(value, out var e)) return "must be one of the enum's strings";
                return def.Values.Contains(e) ? null : $"'{e}' is not one of {string.Join(", ", def.Values)}{Suggest.Hint(e, def.Values)}";
            case PropertyType.Timestamp:
                return IsString(value, out var t) && Pipeline.IsoTimestamp.TryParse(t, out _) ? null : "must be an ISO 8601 timestamp";
            case PropertyType.Integer:
                if (!TryNumber(value, out var l) || l % 1 != 0) return "must be an integer";
                return Range(def, l);
            case PropertyType.Number:
                if (!TryNumber(value, out var d)) return "must be a number";
                return Range(def, d);
            case PropertyType.Boolean:
                return value is JsonValue bv && bv.TryGetValue<bool>(out _) ? null : "must be true or false";
            case PropertyType.Array:
                if (value is not JsonArray arr) return "must be an array";
                if (def.Items is { } items)
                    foreach (var item in arr) if (Problem(items, item) is { } why) return "has an item that " + why;
                return null;
            case PropertyType.Object:
                if (value is not JsonObject obj) return "must be an object";
                if (def.OpenObject) return null;
                foreach (var (k, v) in obj)
                {
                    if (def.FindNested(k) is not { } nested) return $"has the field '{k}', which the plan does not declare";
                    if (Problem(nested, v) is { } why) return $"has '{k}' that {why}";
                }
                return null;
            default:
                return null;
        }
    }

    private static bool TryNumber(JsonNode value, out double d)
    {
        d = 0;
        if (value is not JsonValue v) return false;
        if (v.TryGetValue(out long l)) { d = l; return true; }
        if (v.TryGetValue(out int i)) { d = i; return true; }
        if (v.TryGetValue(out double x)) { d = x; return true; }
        return false;
    }

    private static bool IsString(JsonNode value, out string s)
    {
        s = "";
        return value is JsonValue v && v.TryGetValue(out s!);
    }

    private static string? Range(PropertyDefinition def, double d)
    {
        if (def.Min is { } min && d < min) return $"is below the minimum {min.ToString(CultureInfo.InvariantCulture)}";
        if (def.Max is { } max && d > max) return $"is above the maximum {max.ToString(CultureInfo.InvariantCulture)}";
        return null;
    }
}
