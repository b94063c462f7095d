using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Tally.Core.Plans;

/// <summary>
/// A YAML mapping read key by key, remembering which keys were asked for so that every key the plan format
/// does not know is reported with its location (and a "did you mean"). YamlDotNet gives us the parse tree and
/// its marks; this thin reader turns it into located diagnostics, which its deserializer does not.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly string _file;
    private readonly List<Diagnostic> _diagnostics;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlMap(YamlMappingNode node, string file, List<Diagnostic> diagnostics)
    {
        _node = node;
        _file = file;
        _diagnostics = diagnostics;
    }

    public SourceLocation Location => At(_node);

    public SourceLocation At(YamlNode node) => new(_file, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string code, string message) => _diagnostics.Add(Diagnostic.Error(code, message, At(node)));

    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries()
    {
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode s && s.Value is not null) yield return (s.Value, k, v);
    }

    public YamlNode? Node(string key)
    {
        _known.Add(key);
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode s && s.Value == key) return v;
        return null;
    }

    public SourceLocation KeyLocation(string key)
    {
        foreach (var (k, _) in _node.Children)
            if (k is YamlScalarNode s && s.Value == key) return At(k);
        return Location;
    }

    public string? String(string key)
    {
        var n = Node(key);
        if (n is null) return null;
        if (n is YamlScalarNode s) return s.Value;
        Error(n, "wrong-type", $"'{key}' must be a single value");
        return null;
    }

    public string RequiredString(string key, string context)
    {
        var v = String(key);
        if (string.IsNullOrWhiteSpace(v))
        {
            if (Node(key) is null) _diagnostics.Add(Diagnostic.Error("missing-key", $"{context} needs '{key}'", Location));
            return "";
        }
        return v;
    }

    public bool? Bool(string key)
    {
        var s = String(key);
        if (s is null) return null;
        if (bool.TryParse(s, out var b)) return b;
        if (s is "yes" or "on") return true;
        if (s is "no" or "off") return false;
        Error(Node(key)!, "wrong-type", $"'{key}' must be true or false, not '{s}'");
        return null;
    }

    public double? Number(string key)
    {
        var s = String(key);
        if (s is null) return null;
        var text = s.Trim();
        var percent = text.EndsWith('%');
        if (percent) text = text[..^1];
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return percent ? d / 100 : d;
        Error(Node(key)!, "wrong-type", $"'{key}' must be a number, not '{s}'");
        return null;
    }

    public int? Int(string key)
    {
        var d = Number(key);
        if (d is null) return null;
        if (d % 1 == 0) return (int)d;
        Error(Node(key)!, "wrong-type", $"'{key}' must be a whole number");
        return null;
    }

    public TimeSpan? Duration(string key)
    {
        var s = String(key);
        if (s is null) return null;
        if (PlanDuration.TryParse(s, out var t)) return t;
        Error(Node(key)!, "bad-duration", $"'{key}': '{s}' is not a duration (e.g. 30m, 24h, 14d, 6mo, 2y, forever)");
        return null;
    }

    public IReadOnlyList<string> Strings(string key)
    {
        var n = Node(key);
        switch (n)
        {
            case null: return [];
            case YamlScalarNode s when s.Value is not null: return string.IsNullOrEmpty(s.Value) ? [] : [s.Value];
            case YamlSequenceNode seq:
                var list = new List<string>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode si && si.Value is not null) list.Add(si.Value);
                    else Error(item, "wrong-type", $"'{key}' must be a list of values");
                }
                return list;
            default:
                Error(n, "wrong-type", $"'{key}' must be a list");
                return [];
        }
    }

    public YamlMap? Map(string key)
    {
        var n = Node(key);
        if (n is null) return null;
        if (n is YamlMappingNode m) return new YamlMap(m, _file, _diagnostics);
        if (n is YamlScalarNode { Value: null or "" or "~" or "null" }) return null;
        Error(n, "wrong-type", $"'{key}' must be a mapping");
        return null;
    }

    public YamlMap Wrap(YamlMappingNode node) => new(node, _file, _diagnostics);

    public T? Enum<T>(string key, Func<string, T?> parse, string allowed) where T : struct
    {
        var s = String(key);
        if (s is null) return null;
        var v = parse(s.Trim().ToLowerInvariant());
        if (v is null) Error(Node(key)!, "bad-value", $"'{key}': '{s}' is not one of {allowed}{Suggest.Hint(s, allowed.Split(", "))}");
        return v;
    }

    /// <summary>Reports every key that was never asked for.</summary>
    public void ReportUnknown(string context)
    {
        foreach (var (k, v) in _node.Children)
        {
            if (k is not YamlScalarNode s || s.Value is null || _known.Contains(s.Value)) continue;
            _diagnostics.Add(Diagnostic.Error("unknown-key",
                $"unknown key '{s.Value}' in {context}{Suggest.Hint(s.Value, _known)}", At(k)));
        }
    }
}
