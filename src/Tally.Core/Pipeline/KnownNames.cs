using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
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

    // Names by UTF-8 length: few share a length, so a lookup compares a handful of byte strings at most.
    private readonly (byte[] Utf8, string Name)[][] _byLength;

    private KnownNames(IEnumerable<string> names)
    {
        var distinct = names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Select(n => (Utf8: Encoding.UTF8.GetBytes(n), Name: n)).ToList();
        _byLength = new (byte[], string)[distinct.Count == 0 ? 1 : distinct.Max(n => n.Utf8.Length) + 1][];
        for (var length = 0; length < _byLength.Length; length++)
        {
            _byLength[length] = [.. distinct.Where(n => n.Utf8.Length == length)];
        }
    }

    public static KnownNames Of(TrackingPlan plan) => Cache.GetValue(plan, static p => new KnownNames(
        p.Events.Select(e => e.Name)
            .Concat(p.Properties.Select(x => x.Name))
            .Concat(p.Events.SelectMany(e => e.Properties.Select(x => x.Name).Concat(e.AllPropertyNames)))
            .Concat(p.Environments)
            .Concat(SegmentTypes)));

    /// <summary>The plan's string equal to these bytes, or null.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= _byLength.Length)
        {
            return null;
        }

        foreach (var (bytes, name) in _byLength[utf8.Length])
        {
            if (utf8.SequenceEqual(bytes))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The property's name, reused from the plan when it is one of its names.</summary>
    public string NameOf(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.IndexOf((byte)'\\') < 0 && Find(raw) is { } known ? known : property.Name;
    }

    /// <summary>As <see cref="EnvelopeMapper.Scalar"/>, reusing the plan's string when the value is one of its names.</summary>
    public string? Scalar(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            // The raw value of a string keeps its quotes.
            var raw = JsonMarshal.GetRawUtf8Value(value);
            if (raw.Length > 2 && raw[1..^1] is var inner && inner.IndexOf((byte)'\\') < 0 && Find(inner) is { } known)
            {
                return known;
            }
        }

        return EnvelopeMapper.Scalar(value);
    }
}
