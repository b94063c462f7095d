using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Tally.Core.Plans;

/// <summary>
/// Sits between YamlDotNet's parser and its representation model and drops the second and later occurrences of a
/// key in one mapping, reporting each as a located <c>duplicate-name</c>. Without it YamlDotNet stops the whole
/// load at the first duplicate with "Duplicate key", so a plan with two events of the same name could not be
/// linted at all. The first definition wins, as most YAML readers do.
/// </summary>
internal sealed class DuplicateKeyFilter(IParser inner, string file, List<Diagnostic> diagnostics) : IParser
{
    /// <summary>Mappings whose keys name plan elements, so the message can say "event 'x'" rather than "key 'x'".</summary>
    private static readonly Dictionary<string, string> ElementKinds = new(StringComparer.Ordinal)
    {
        ["events"] = "event",
        ["properties"] = "property",
        ["funnels"] = "funnel",
        ["kpis"] = "KPI",
        ["journeys"] = "journey",
        ["categories"] = "category",
        ["attribution"] = "attribution",
    };

    private sealed class Frame(bool isMapping, string? key)
    {
        public bool IsMapping { get; } = isMapping;
        /// <summary>The key this collection is the value of, if any.</summary>
        public string? Key { get; } = key;
        public bool ExpectKey { get; set; } = true;
        public string? LastKey { get; set; }
        public Dictionary<string, Mark> Seen { get; } = new(StringComparer.Ordinal);
    }

    private readonly Stack<Frame> _frames = new();

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        while (inner.MoveNext())
        {
            var e = inner.Current!;
            string? keyOfThis = null;
            if (_frames.TryPeek(out var top) && top.IsMapping && IsNodeStart(e))
            {
                if (top.ExpectKey)
                {
                    if (e is Scalar key)
                    {
                        if (top.Seen.TryGetValue(key.Value, out var first))
                        {
                            Report(top, key, first);
                            SkipNode();
                            continue;
                        }
                        top.Seen[key.Value] = key.Start;
                        top.LastKey = key.Value;
                    }
                    else
                    {
                        top.LastKey = null;
                    }
                    top.ExpectKey = false;
                }
                else
                {
                    keyOfThis = top.LastKey;
                    top.ExpectKey = true;
                }
            }
            switch (e)
            {
                case MappingStart: _frames.Push(new Frame(true, keyOfThis)); break;
                case SequenceStart: _frames.Push(new Frame(false, keyOfThis)); break;
                case MappingEnd or SequenceEnd: _frames.TryPop(out _); break;
            }
            Current = e;
            return true;
        }
        Current = null;
        return false;
    }

    private static bool IsNodeStart(ParsingEvent e) => e is Scalar or AnchorAlias or MappingStart or SequenceStart;

    private void Report(Frame mapping, Scalar key, Mark first)
    {
        var what = mapping.Key is { } k && ElementKinds.TryGetValue(k, out var kind) ? $"{kind} '{key.Value}'" : $"key '{key.Value}'";
        diagnostics.Add(Diagnostic.Error("duplicate-name",
            $"{what} is declared twice (first at line {first.Line}); only the first is read",
            new SourceLocation(file, (int)key.Start.Line, (int)key.Start.Column)));
    }

    /// <summary>Consumes the value that belongs to a dropped key, however deeply it nests.</summary>
    private void SkipNode()
    {
        var depth = 0;
        while (inner.MoveNext())
        {
            switch (inner.Current)
            {
                case MappingStart or SequenceStart: depth++; break;
                case MappingEnd or SequenceEnd: depth--; break;
            }
            if (depth == 0) return;
        }
    }
}
