using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tally.Core.Plans;

namespace Tally.Core.Pipeline;

/// <summary>
/// The names a plan already holds as strings (events, properties, environments, Segment call types), found from a
/// payload's UTF-8 bytes: the collector reuses the plan's string instead of decoding a new one for every event's name,
/// type, environment and property keys (a fifth of the envelope mapping's allocations). Built once per plan instance,
/// beside it like <see cref="PropertyIndex"/>. Anything not found, or written with JSON escapes, is decoded as before.
/// </summary>
internal sealed class KnownNames
{
    private static readonly ConditionalWeakTable<TrackingPlan, KnownNames> Cache = [];
    private static readonly string[] SegmentTypes = ["track", "page", "screen", "identify", "group", "alias"];

    private readonly Utf8Names _names;

    private KnownNames(IEnumerable<string> names) =>
        _names = new Utf8Names([.. names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)]);

    public static KnownNames Of(TrackingPlan plan) => Cache.GetValue(plan, static p => new KnownNames(
        p.Events.Select(e => e.Name)
            .Concat(p.Properties.Select(x => x.Name))
            .Concat(p.Events.SelectMany(e => e.Properties.Select(x => x.Name).Concat(e.AllPropertyNames)))
            .Concat(p.Environments)
            .Concat(SegmentTypes)));

    /// <summary>The property's name, reused from the plan when it is one of its names.</summary>
    public string NameOf(JsonProperty property) => _names.IndexOf(property) is >= 0 and var i ? _names[i] : property.Name;

    /// <summary>As <see cref="EnvelopeMapper.Scalar"/>, reusing the plan's string when the value is one of its names.</summary>
    public string? Scalar(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            // The raw value of a string keeps its quotes.
            var raw = JsonMarshal.GetRawUtf8Value(value);
            if (raw.Length > 2 && raw[1..^1] is var inner && inner.IndexOf((byte)'\\') < 0 && _names.IndexOf(inner) is >= 0 and var i)
            {
                return _names[i];
            }
        }

        return EnvelopeMapper.Scalar(value);
    }

    /// <summary>
    /// As <see cref="EnvelopeMapper.Scalar"/>, for values that take few distinct strings the plan does not name (a
    /// source, a library's name): the last few decoded on this thread are reused when the bytes match, instead of a new
    /// string per event.
    /// </summary>
    public static string? Recurring(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return EnvelopeMapper.Scalar(value);
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length <= 2 || raw.Length > MaxRecurringBytes + 2 || raw.IndexOf((byte)'\\') >= 0) return EnvelopeMapper.Scalar(value);
        var inner = raw[1..^1];
        var recent = t_recent ??= new (byte[] Utf8, string Text)[RecentSlots];
        foreach (var (utf8, text) in recent)
        {
            if (utf8 is not null && inner.SequenceEqual(utf8)) return text;
        }

        var decoded = value.GetString()!;
        recent[t_nextSlot] = (inner.ToArray(), decoded);
        t_nextSlot = (t_nextSlot + 1) % RecentSlots;
        return decoded;
    }

    private const int RecentSlots = 4;
    private const int MaxRecurringBytes = 64;
    [ThreadStatic] private static (byte[] Utf8, string Text)[]? t_recent;
    [ThreadStatic] private static int t_nextSlot;
}
