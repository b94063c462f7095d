using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Tally.Core.Pipeline;

/// <summary>
/// A fixed set of names found by a payload's raw UTF-8 bytes, without decoding them: the collector matches every
/// payload's field names against its envelope paths and its plan's names. Names written with JSON escapes are decoded
/// and found the slow way, so <c>"\u0065vent"</c> is still <c>event</c>.
/// </summary>
internal sealed class Utf8Names
{
    private readonly string[] _names;
    // Indexes by UTF-8 length: few names share a length, so a lookup compares a handful of byte strings at most.
    private readonly (byte[] Utf8, int Index)[][] _byLength;

    public Utf8Names(IReadOnlyList<string> names)
    {
        _names = [.. names];
        var encoded = _names.Select((n, i) => (Utf8: Encoding.UTF8.GetBytes(n), Index: i)).ToList();
        _byLength = new (byte[], int)[encoded.Count == 0 ? 1 : encoded.Max(n => n.Utf8.Length) + 1][];
        for (var length = 0; length < _byLength.Length; length++)
        {
            _byLength[length] = [.. encoded.Where(n => n.Utf8.Length == length)];
        }
    }

    public string this[int index] => _names[index];

    /// <summary>The index of the name with these bytes (no escapes), or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= _byLength.Length)
        {
            return -1;
        }

        foreach (var (bytes, index) in _byLength[utf8.Length])
        {
            if (utf8.SequenceEqual(bytes))
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>The index of the property's name, escaped or not, or -1.</summary>
    public int IndexOf(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.IndexOf((byte)'\\') < 0 ? IndexOf(raw) : Array.IndexOf(_names, property.Name);
    }
}
