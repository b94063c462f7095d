using System.Text.Json;
using Tally.Core.Plans;

namespace Tally.Core.Pipeline;

/// <summary>
/// Applies the plan's envelope to one payload: where the event name, ids, timestamps and properties live.
/// Segment payloads also carry a call type (track, page, identify, …); flat payloads are always track.
/// </summary>
public static class EnvelopeMapper
{
    public static MappedEvent Map(JsonElement payload, TrackingPlan plan, string? segmentType = null)
    {
        var env = plan.Envelope;
        var m = new MappedEvent();
        if (payload.ValueKind != JsonValueKind.Object) return m;
        var paths = EnvelopePaths.For(env);
        var fields = paths.Read(payload);
        var names = KnownNames.Of(plan);

        var type = env.Format == EnvelopeFormat.Segment ? (segmentType ?? Known(paths.Type) ?? "track").ToLowerInvariant() : "track";
        m.Type = type;
        m.EventId = fields.Text(paths.EventId);
        m.TimestampText = fields.Text(paths.Timestamp);
        m.SentAtText = fields.Text(paths.SentAt);
        m.AnonymousId = fields.Text(paths.AnonymousId);
        m.UserId = fields.Text(paths.UserId);
        m.Environment = Known(paths.Environment);
        m.Source = fields.Get(paths.Source) is { } src ? KnownNames.Recurring(src) : null;
        if (fields.Get(paths.Count) is { ValueKind: JsonValueKind.Number } c && c.TryGetInt64(out var n) && n > 0) m.Count = n;

        var bagPath = paths.Properties;
        if (env.Format == EnvelopeFormat.Segment)
        {
            switch (type)
            {
                case "identify":
                    m.Name = "$identify";
                    bagPath = paths.Traits;
                    break;
                case "group":
                    m.Name = "$group";
                    bagPath = paths.Traits;
                    break;
                case "alias":
                    m.Name = "$alias";
                    m.PreviousId = fields.Text(paths.PreviousId);
                    break;
                case "page" or "screen":
                    m.Name = type;
                    break;
                default:
                    m.Name = Known(paths.Event);
                    break;
            }
            if (fields.Get(paths.Context) is { ValueKind: JsonValueKind.Object } ctx)
            {
                foreach (var f in ctx.EnumerateObject())
                    if (PersonalContextField(f) is { } dropped)
                        m.DroppedContext.Add(dropped);
                if (m.Source is null && ctx.TryGetProperty("library"u8, out var lib) && lib.ValueKind == JsonValueKind.Object
                    && lib.TryGetProperty("name"u8, out var libraryName))
                    m.Source = KnownNames.Recurring(libraryName);
            }
        }
        else
        {
            m.Name = Known(paths.Event);
        }

        var evt = m.Name is null ? null : plan.FindEvent(m.Name);
        if (bagPath is null)
        {
            m.SizeProperties(payload.GetPropertyCount());
            foreach (var f in payload.EnumerateObject())
            {
                var name = names.NameOf(f);
                if (IsEnvelopeField(env, name) && (evt is null || !evt.Declares(name))) continue;
                m.Properties[name] = f.Value;
            }
        }
        else if (fields.Get(bagPath) is { ValueKind: JsonValueKind.Object } bag)
        {
            m.SizeProperties(bag.GetPropertyCount() + env.Extra.Count);
            foreach (var f in bag.EnumerateObject()) m.Properties[names.NameOf(f)] = f.Value;
        }
        foreach (var extra in env.Extra)
            if (Find(payload, extra) is { } v && v.ValueKind != JsonValueKind.Undefined)
                m.Properties[LastSegment(extra)] = v;

        m.SessionId = paths.SessionId is not null ? fields.Text(paths.SessionId)
            : plan.Identity.Session is { } s && m.Properties.TryGetValue(s, out var sv) ? Scalar(sv) : null;
        return m;

        // Names, types and environments the plan knows come back as the plan's own strings.
        string? Known(EnvelopePaths.Path? path) => fields.Get(path) is { } v ? names.Scalar(v) : null;
    }

    /// <summary>Segment context fields that hold personal data, named as the drop is reported (constants: no allocation per event).</summary>
    private static string? PersonalContextField(JsonProperty f) =>
        f.NameEquals("ip"u8) ? "context.ip"
        : f.NameEquals("userAgent"u8) ? "context.userAgent"
        : f.NameEquals("traits"u8) ? "context.traits"
        : f.NameEquals("location"u8) ? "context.location"
        : f.NameEquals("device"u8) ? "context.device"
        : null;

    private static bool IsEnvelopeField(EnvelopeDefinition env, string name) =>
        name == env.Event || name == env.Timestamp || name == env.EventId || name == env.AnonymousId || name == env.UserId
        || name == env.SessionId || name == env.Environment || name == env.Source || name == env.SentAt || name == env.Count
        || name == "type" || env.Extra.Contains(name);

    private static string LastSegment(string path) => path.LastIndexOf('.') is var i and >= 0 ? path[(i + 1)..] : path;

    /// <summary>The element at a dotted path, or default when any part is missing.</summary>
    public static JsonElement? Find(JsonElement root, string path)
    {
        // Most envelope paths are one name: no split, no allocation.
        if (!path.Contains('.'))
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(path, out var direct) ? direct : null;
        return Walk(root, path.Split('.'));
    }

    /// <summary>The element reached from <paramref name="cur"/> through each name in turn, or null when one is missing.</summary>
    internal static JsonElement? Walk(JsonElement cur, IEnumerable<string> parts)
    {
        foreach (var part in parts)
        {
            if (cur.ValueKind != JsonValueKind.Object || !cur.TryGetProperty(part, out var next)) return null;
            cur = next;
        }
        return cur;
    }

    /// <summary>Strings as they are, numbers as written (Segment allows numeric user ids); anything else is not an id.</summary>
    public static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => v.GetRawText(),
        _ => null,
    };
}
