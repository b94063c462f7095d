using System.Text;
using System.Text.Json;

namespace Tally.Core.Analytics;

/// <summary>
/// The dimensions an aggregate-only event keeps in the daily roll-up: its properties (the pipeline has already cut
/// them down to the declared, non-identifying ones) in one canonical text, so that two payloads with the same values
/// add to the same roll-up row in either store. The text is a compact JSON object of the flattened properties
/// (<see cref="PropertyFlattener"/>), keys in ordinal order, every value a JSON string, nulls left out: read back
/// through the flattener, it gives every engine exactly the values the raw event would have given it.
/// </summary>
public static class RollupDimensions
{
    /// <summary>
    /// The marker of a roll-up row counted from stored raw events: those are answered from their raw rows, and only rows
    /// with dimensions (at least <c>{}</c>) stand for aggregate-only events.
    /// </summary>
    public const string None = "";

    public const string Empty = "{}";

    public static string Of(string propertiesJson)
    {
        var flat = PropertyFlattener.Flatten(propertiesJson);
        var keys = flat.Where(p => p.Value is not null).Select(p => p.Key).Order(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var key in keys) json.WriteString(key, flat[key]);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
