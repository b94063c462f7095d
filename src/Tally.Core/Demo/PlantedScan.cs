using System.Buffers;
using System.Text.Json;

namespace Tally.Core.Demo;

/// <summary>
/// Looks for planted raw personal values inside JSON documents (stored properties, quarantine payloads). String
/// values are decoded first: a JSON writer escapes characters such as <c>+</c>, so a raw phone number can hide from a
/// search of the encoded text.
/// </summary>
public static class PlantedScan
{
    /// <summary>The planted values that occur in any string of any of the documents.</summary>
    public static IReadOnlySet<string> Find(IEnumerable<string> documents, IReadOnlySet<string> planted)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (planted.Count == 0) return found;
        var any = SearchValues.Create([.. planted], StringComparison.Ordinal);
        foreach (var json in documents)
        {
            if (string.IsNullOrEmpty(json)) continue;
            using var doc = JsonDocument.Parse(json);
            Visit(doc.RootElement, any, planted, found);
        }
        return found;
    }

    private static void Visit(JsonElement e, SearchValues<string> any, IReadOnlySet<string> planted, HashSet<string> found)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Check(p.Name, any, planted, found);
                    Visit(p.Value, any, planted, found);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) Visit(item, any, planted, found);
                break;
            case JsonValueKind.String:
                Check(e.GetString()!, any, planted, found);
                break;
        }
    }

    private static void Check(string s, SearchValues<string> any, IReadOnlySet<string> planted, HashSet<string> found)
    {
        if (s.AsSpan().IndexOfAny(any) < 0) return;
        foreach (var p in planted) if (s.Contains(p, StringComparison.Ordinal)) found.Add(p);
    }
}
