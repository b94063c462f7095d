using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>
/// Looks for raw strings in bytes and text in every form they could have been written in: as is, lower-cased,
/// JSON-escaped (System.Text.Json writes <c>+</c> as <c>\u002B</c>), percent-encoded, and UTF-16. A scan that only
/// looked for the literal would miss a phone number stored inside a JSON document.
/// </summary>
public sealed class RawStrings(params string[] raw)
{
    private readonly List<(string Raw, byte[] Form)> _forms = raw.SelectMany(r => FormsOf(r).Select(f => (r, f))).ToList();

    /// <summary>The raw strings found in <paramref name="bytes"/>, each once.</summary>
    public IReadOnlyList<string> FoundIn(ReadOnlySpan<byte> bytes)
    {
        var found = new List<string>();
        foreach (var (r, form) in _forms)
            if (!found.Contains(r) && bytes.IndexOf(form) >= 0) found.Add(r);
        return found;
    }

    public IReadOnlyList<string> FoundIn(string text) => FoundIn(Encoding.UTF8.GetBytes(text));

    private static IEnumerable<byte[]> FormsOf(string raw)
    {
        var texts = new HashSet<string>(StringComparer.Ordinal)
        {
            raw,
            raw.ToLowerInvariant(),
            JsonSerializer.Serialize(raw)[1..^1],
            JsonSerializer.Serialize(raw, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1],
            Uri.EscapeDataString(raw),
        };
        foreach (var t in texts)
        {
            yield return Encoding.UTF8.GetBytes(t);
            yield return Encoding.Unicode.GetBytes(t);
        }
    }
}
