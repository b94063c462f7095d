using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Tally.Core.Pipeline;

/// <summary>
/// The canonical form a quarantined event is kept in: the mapped envelope and the privacy-transformed properties,
/// with the list of properties already transformed so a replay neither hashes twice nor re-checks a hash's type.
/// Being canonical, a replay does not need the original wire format or envelope.
/// </summary>
public static class QuarantinePayload
{
    public static string Write(MappedEvent e, string propertiesJson, IReadOnlyList<string> transformed, IReadOnlyList<string>? unvetted = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Str(w, "event", e.Name);
            w.WriteString("type", e.Type);
            Str(w, "eventId", e.EventId);
            Str(w, "timestamp", e.TimestampText);
            Str(w, "sentAt", e.SentAtText);
            Str(w, "anonymousId", e.AnonymousId);
            Str(w, "userId", e.UserId);
            Str(w, "sessionId", e.SessionId);
            Str(w, "environment", e.Environment);
            Str(w, "source", e.Source);
            Str(w, "previousId", e.PreviousId);
            w.WriteNumber("count", e.Count);
            if (unvetted is { Count: > 0 })
            {
                // Hashed only because nothing declared them: a replay must not take these hashes for the values.
                w.WriteStartArray("unvetted");
                foreach (var u in unvetted.Distinct()) w.WriteStringValue(u);
                w.WriteEndArray();
            }
            w.WritePropertyName("properties");
            w.WriteRawValue(propertiesJson, skipInputValidation: true);
            w.WriteStartArray("transformed");
            // A nested field or array item transformed marks its whole top-level property: replay must not touch any of it again.
            foreach (var t in transformed.Select(x => x.Split('.', '[')[0]).Distinct()) w.WriteStringValue(t);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    public static MappedEvent Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement.Clone();
        var m = new MappedEvent
        {
            Name = S(root, "event"),
            Type = S(root, "type") ?? "track",
            EventId = S(root, "eventId"),
            TimestampText = S(root, "timestamp"),
            SentAtText = S(root, "sentAt"),
            AnonymousId = S(root, "anonymousId"),
            UserId = S(root, "userId"),
            SessionId = S(root, "sessionId"),
            Environment = S(root, "environment"),
            Source = S(root, "source"),
            PreviousId = S(root, "previousId"),
            Count = root.TryGetProperty("count", out var c) && c.TryGetInt64(out var n) ? n : 1,
            AlreadyTransformed = [],
        };
        if (root.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            foreach (var p in props.EnumerateObject()) m.Properties[p.Name] = p.Value;
        if (root.TryGetProperty("transformed", out var t) && t.ValueKind == JsonValueKind.Array)
            foreach (var x in t.EnumerateArray()) if (x.GetString() is { } name) m.AlreadyTransformed.Add(name);
        if (root.TryGetProperty("unvetted", out var u) && u.ValueKind == JsonValueKind.Array)
            foreach (var x in u.EnumerateArray()) if (x.GetString() is { } name) (m.Unvetted ??= []).Add(name);
        return m;
    }

    private static string? S(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
