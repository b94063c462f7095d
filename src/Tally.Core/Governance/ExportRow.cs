using System.Buffers;
using System.Text;
using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Governance;

/// <summary>
/// One exported event as a JSON line: the envelope as columns and the properties, minus every property the plan
/// marks <c>export: false</c> (seed 003's never-exported fields), nested fields included. Values are already
/// privacy-transformed: an export never holds more than the store does.
/// </summary>
public static class ExportRow
{
    public static string Write(CollectedEvent e, TrackingPlan plan)
    {
        var def = plan.FindEvent(e.Name);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("event_id", e.EventId);
            w.WriteString("event", e.Name);
            w.WriteString("ts", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("env", e.Environment);
            Opt(w, "anonymous_id", e.AnonymousId);
            Opt(w, "user_id", e.UserId);
            Opt(w, "session_id", e.SessionId);
            Opt(w, "source", e.Source);
            w.WriteNumber("count", e.Count);
            w.WritePropertyName("properties");
            using var doc = JsonDocument.Parse(e.PropertiesJson);
            WriteFiltered(w, doc.RootElement, p => def is null ? plan.Properties.FirstOrDefault(x => x.Name == p) : plan.ResolveProperty(def, p), "");
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Opt(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void WriteFiltered(Utf8JsonWriter w, JsonElement obj, Func<string, PropertyDefinition?> resolve, string prefix)
    {
        w.WriteStartObject();
        foreach (var p in obj.EnumerateObject())
        {
            var path = prefix + p.Name;
            var pd = resolve(path);
            if (pd is { Export: false }) continue;
            w.WritePropertyName(p.Name);
            if (p.Value.ValueKind == JsonValueKind.Object && pd is { Type: PropertyType.Object, OpenObject: false }) WriteFiltered(w, p.Value, resolve, path + ".");
            else p.Value.WriteTo(w);
        }
        w.WriteEndObject();
    }
}
