using System.Globalization;
using System.Text.Json;

namespace Tally.Core.Analytics;

/// <summary>
/// Turns a stored properties object into the flat key/value view that filters and group-bys compare:
/// nested objects become dotted keys, numbers and booleans become invariant text, arrays are skipped.
/// </summary>
public static class PropertyFlattener
{
    public static IReadOnlyDictionary<string, string?> Flatten(string propertiesJson)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(propertiesJson)) return result;
        using var doc = JsonDocument.Parse(propertiesJson);
        if (doc.RootElement.ValueKind == JsonValueKind.Object) Add(result, "", doc.RootElement);
        return result;
    }

    private static void Add(Dictionary<string, string?> into, string prefix, JsonElement obj)
    {
        foreach (var p in obj.EnumerateObject())
        {
            var key = prefix.Length == 0 ? p.Name : prefix + "." + p.Name;
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Object: Add(into, key, p.Value); break;
                case JsonValueKind.Array: break;
                case JsonValueKind.Null: into[key] = null; break;
                default: into[key] = Scalar(p.Value); break;
            }
        }
    }

    /// <summary>
    /// The text a filter compares with. Numbers are normalised (<c>500</c>, <c>2.5</c>, never <c>5e2</c> or <c>2.50</c>)
    /// so that a plan's <c>status_code=500</c> matches however the client wrote the number.
    /// </summary>
    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => Number(value),
        _ => value.GetRawText(),
    };

    private static string Number(JsonElement value)
    {
        if (value.TryGetInt64(out var l)) return l.ToString(CultureInfo.InvariantCulture);
        var d = value.GetDouble();
        if (Math.Abs(d) < 9e15 && d == Math.Floor(d)) return ((long)d).ToString(CultureInfo.InvariantCulture);
        return d.ToString("R", CultureInfo.InvariantCulture);
    }
}
