using System.Globalization;
using Tally.Core.Plans;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tally.Core.Demo;

/// <summary>
/// Reads a traffic profile (docs/demo.md) the way <see cref="PlanLoader"/> reads a plan: never throws on bad input,
/// every problem is a located <see cref="Diagnostic"/>. <see cref="TrafficProfileCheck"/> then holds it to its plan.
/// </summary>
public static class TrafficProfileLoader
{
    /// <summary>Where <c>tally demo</c> looks for a plan's profile: beside it, <c>NAME.traffic.yaml</c>.</summary>
    public static string PathFor(string planPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(planPath)) ?? ".";
        var stem = Path.GetFileNameWithoutExtension(planPath);
        return Path.Combine(dir, stem + ".traffic.yaml");
    }

    public static TrafficProfileLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TrafficProfileLoadResult(null, [Diagnostic.Error("unreadable", $"cannot read traffic profile: {e.Message}", new SourceLocation(path, 0, 0))]);
        }
        return Parse(text, path);
    }

    public static TrafficProfileLoadResult Parse(string yaml, string file = "traffic.yaml")
    {
        var diagnostics = new List<Diagnostic>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new DuplicateKeyFilter(new Parser(new StringReader(yaml)), file, diagnostics));
        }
        catch (YamlException e)
        {
            diagnostics.Add(Diagnostic.Error("yaml-syntax", $"malformed YAML: {e.Message}", new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column)));
            return new TrafficProfileLoadResult(null, diagnostics);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diagnostics.Add(Diagnostic.Error("not-a-profile", "a traffic profile must be a YAML mapping with at least 'plan' and 'flows'", new SourceLocation(file, 1, 1)));
            return new TrafficProfileLoadResult(null, diagnostics);
        }
        var m = new YamlMap(root, file, diagnostics);
        var profile = new TrafficProfile
        {
            Plan = m.RequiredString("plan", "the traffic profile"),
            Sessions = Positive(m, "sessions") ?? 2000,
            Spread = Duration(m, "spread") ?? TimeSpan.FromHours(6),
            Gap = Gap(m, "gap") ?? new GapRange(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2)),
            Environment = m.String("environment"),
            Source = m.String("source"),
            Actors = m.Map("actors") is { } a ? ReadActors(a) : new ActorSettings(),
            Properties = ReadSpecs(m, "properties"),
            Flows = ReadFlows(m),
            OptOut = m.Map("opt_out") is { } o ? ReadOptOut(o) : null,
            Invalid = m.Map("invalid") is { } i ? ReadMix(i, "invalid", InvalidKinds.All) : null,
            Pii = m.Map("pii") is { } p ? ReadMix(p, "pii", PiiKinds.All) : null,
            SourceFile = file,
            Location = m.Location,
        };
        if (profile.Flows.Count == 0 && m.Node("flows") is null)
            diagnostics.Add(Diagnostic.Error("missing-key", "the traffic profile needs 'flows'", m.Location));
        m.ReportUnknown("the traffic profile");
        return new TrafficProfileLoadResult(profile, diagnostics);
    }

    private static int? Positive(YamlMap m, string key)
    {
        var n = m.Int(key);
        if (n is <= 0) m.Error(m.Node(key)!, "bad-value", $"'{key}' must be at least 1");
        return n is > 0 ? n : null;
    }

    private static TimeSpan? Duration(YamlMap m, string key)
    {
        var d = m.Duration(key);
        if (d == PlanDuration.Forever) m.Error(m.Node(key)!, "bad-value", $"'{key}' must be a finite duration");
        return d == PlanDuration.Forever ? null : d;
    }

    private static double? Probability(YamlMap m, string key)
    {
        var p = m.Number(key);
        if (p is < 0 or > 1) m.Error(m.Node(key)!, "bad-value", $"'{key}' is a probability: from 0 to 1 (or 0% to 100%)");
        return p is >= 0 and <= 1 ? p : null;
    }

    private static GapRange? Gap(YamlMap m, string key)
    {
        var s = m.String(key);
        if (s is null) return null;
        if (GapRange.TryParse(s, out var g)) return g;
        m.Error(m.Node(key)!, "bad-duration", $"'{key}': '{s}' is not a duration or range of durations (e.g. 30s, 5s..2m)");
        return null;
    }

    private static IntRange? Range(YamlMap m, string key)
    {
        var s = m.String(key);
        if (s is null) return null;
        if (IntRange.TryParse(s, out var r)) return r;
        m.Error(m.Node(key)!, "bad-value", $"'{key}': '{s}' is not a whole number or range (e.g. 3, 1..6)");
        return null;
    }

    private static IdTemplate? Template(YamlMap m, string key)
    {
        var s = m.String(key);
        if (s is null) return null;
        var t = IdTemplate.TryParse(s, out var error);
        if (t is null) m.Error(m.Node(key)!, "bad-value", $"'{key}': {error}");
        return t;
    }

    private static ActorSettings ReadActors(YamlMap m)
    {
        var a = new ActorSettings
        {
            Identified = Probability(m, "identified"),
            AnonymousId = Template(m, "anonymous_id"),
            UserId = Template(m, "user_id"),
            SessionId = Template(m, "session_id"),
        };
        m.ReportUnknown("actors");
        return a;
    }

    private static IReadOnlyList<TrafficFlow> ReadFlows(YamlMap m)
    {
        var node = m.Node("flows");
        if (node is null) return [];
        if (node is not YamlMappingNode flows)
        {
            m.Error(node, "wrong-type", "'flows' must be a mapping of flow name to flow");
            return [];
        }
        var list = new List<TrafficFlow>();
        foreach (var (k, v) in flows.Children)
        {
            if (k is not YamlScalarNode { Value: { } name }) continue;
            if (v is not YamlMappingNode body)
            {
                m.Error(v, "wrong-type", $"flow '{name}' must be a mapping with 'steps'");
                continue;
            }
            var f = m.Wrap(body);
            var weight = f.Number("weight");
            if (weight is <= 0) f.Error(f.Node("weight")!, "bad-value", "'weight' must be above 0");
            var flow = new TrafficFlow
            {
                Name = name,
                Weight = weight is > 0 ? weight.Value : 1,
                Vars = ReadSpecs(f, "vars"),
                Actors = f.Map("actors") is { } a ? ReadActors(a) : null,
                Steps = ReadSteps(f, name),
                Location = m.At(k),
            };
            if (flow.Steps.Count == 0) f.Error(k, "missing-key", $"flow '{name}' needs at least one step under 'steps'");
            f.ReportUnknown($"flow '{name}'");
            list.Add(flow);
        }
        return list;
    }

    private static IReadOnlyList<TrafficStep> ReadSteps(YamlMap f, string flow)
    {
        var node = f.Node("steps");
        if (node is null) return [];
        if (node is not YamlSequenceNode seq)
        {
            f.Error(node, "wrong-type", $"'steps' of flow '{flow}' must be a list");
            return [];
        }
        var steps = new List<TrafficStep>();
        foreach (var item in seq.Children)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { Length: > 0 } name }:
                    steps.Add(new TrafficStep { Event = name, Location = f.At(item) });
                    break;
                case YamlMappingNode body:
                    var s = f.Wrap(body);
                    var step = new TrafficStep
                    {
                        Event = s.RequiredString("event", $"a step of flow '{flow}'"),
                        Continue = Probability(s, "continue") ?? 1,
                        Optional = Probability(s, "optional"),
                        Gap = Gap(s, "gap"),
                        Repeat = Range(s, "repeat") ?? IntRange.One,
                        Count = Range(s, "count"),
                        Login = s.Bool("login") ?? false,
                        Properties = ReadSpecs(s, "properties"),
                        Location = s.At(body),
                    };
                    s.ReportUnknown($"a step of flow '{flow}'");
                    steps.Add(step);
                    break;
                default:
                    f.Error(item, "wrong-type", $"a step of flow '{flow}' must be an event name or a mapping with 'event'");
                    break;
            }
        }
        return steps;
    }

    private static OptOutSettings ReadOptOut(YamlMap m)
    {
        var o = new OptOutSettings(Probability(m, "share") ?? 0, ReadSpecs(m, "properties"));
        m.ReportUnknown("opt_out");
        return o;
    }

    private static FaultMix ReadMix(YamlMap m, string context, string[] allowed)
    {
        var share = Probability(m, "share") ?? 0;
        var kinds = new List<Weighted<string>>();
        switch (m.Node("kinds"))
        {
            case null:
                kinds.AddRange(allowed.Select(k => new Weighted<string>(k, 1)));
                break;
            case YamlMappingNode km:
                var k = m.Wrap(km);
                foreach (var (name, keyNode, _) in k.Entries())
                {
                    if (!allowed.Contains(name))
                    {
                        k.Error(keyNode, "bad-value", $"'{name}' is not a kind of {context} event: use {string.Join(", ", allowed)}{Suggest.Hint(name, allowed)}");
                        continue;
                    }
                    if (k.Number(name) is { } w and > 0) kinds.Add(new Weighted<string>(name, w));
                }
                break;
            case YamlSequenceNode ks:
                foreach (var item in ks.Children)
                {
                    if (item is YamlScalarNode { Value: { } name } && allowed.Contains(name)) kinds.Add(new Weighted<string>(name, 1));
                    else m.Error(item, "bad-value", $"kinds of {context} events are {string.Join(", ", allowed)}");
                }
                break;
            case var other:
                m.Error(other, "wrong-type", "'kinds' must be a mapping of kind to weight");
                break;
        }
        if (kinds.Count == 0 && share > 0) m.Error(m.Node("kinds") ?? m.Node("share")!, "bad-value", $"{context}: no kind has a weight above 0");
        m.ReportUnknown(context);
        return new FaultMix(share, kinds);
    }

    private static IReadOnlyList<PropertySpec> ReadSpecs(YamlMap m, string key)
    {
        var node = m.Node(key);
        if (node is null || node is YamlScalarNode { Value: null or "" or "~" }) return [];
        if (node is not YamlMappingNode map)
        {
            m.Error(node, "wrong-type", $"'{key}' must be a mapping of property name to value");
            return [];
        }
        var list = new List<PropertySpec>();
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } name }) continue;
            if (ReadSpec(m, v, name) is { } spec) list.Add(new PropertySpec(name, spec));
        }
        return list;
    }

    private static readonly string[] Generators = ["value", "one_of", "range", "id", "bool", "array", "object", "actor", "time", "sha256"];

    /// <summary>A value spec: a constant, <c>$var</c>, a list (one of its items), or a mapping with one generator key.</summary>
    private static ValueSpec? ReadSpec(YamlMap m, YamlNode node, string name)
    {
        var at = m.At(node);
        switch (node)
        {
            case YamlScalarNode { Value: null or "~" }:
                m.Error(node, "bad-value", $"'{name}' needs a value");
                return null;
            case YamlScalarNode s when s.Style is ScalarStyle.Plain && s.Value!.StartsWith('$'):
                return new VarSpec(s.Value[1..]) { Location = at };
            case YamlScalarNode s:
                return new ConstantSpec(s.Value!) { Location = at };
            case YamlSequenceNode seq:
                return OneOf(m, seq, name) is { } uniform ? uniform with { Location = at } : null;
            case YamlMappingNode map:
                var g = m.Wrap(map);
                var present = Generators.Where(k => map.Children.Keys.Any(x => x is YamlScalarNode { Value: { } v } && v == k)).ToList();
                if (present.Count != 1)
                {
                    g.Error(node, "bad-value", present.Count == 0
                        ? $"'{name}' needs one of {string.Join(", ", Generators)}"
                        : $"'{name}' has {string.Join(" and ", present)}: give one generator per value");
                    return null;
                }
                var presence = Probability(g, "p") ?? 1;
                ValueSpec? spec = present[0] switch
                {
                    "value" => g.Node("value") is YamlScalarNode { Value: { } c } ? new ConstantSpec(c) : Bad(g, "value", "a single value"),
                    "one_of" => g.Node("one_of") switch
                    {
                        YamlSequenceNode seq => OneOf(g, seq, name),
                        YamlMappingNode weights => Weights(g, weights, name),
                        var other => Bad(g, "one_of", "a list of values or a mapping of value to weight", other),
                    },
                    "range" => ReadRange(g, name),
                    "id" => Template(g, "id") is { } t ? new IdSpec(t) : null,
                    "bool" => Probability(g, "bool") is { } share ? new BoolSpec(share) : null,
                    "array" => g.Node("array") is { } item && ReadSpec(g, item, name + "[]") is { } itemSpec
                        ? new ArraySpec(itemSpec, Range(g, "size") ?? new IntRange(1, 3)) : null,
                    "object" => g.Node("object") is YamlMappingNode ? new ObjectSpec(ReadSpecs(g, "object")) : Bad(g, "object", "a mapping of field to value"),
                    "actor" => g.Enum("actor", s => s switch
                    {
                        "session" => ActorField.Session,
                        "user" => ActorField.User,
                        "anonymous" => (ActorField?)ActorField.Anonymous,
                        _ => null,
                    }, "session, user, anonymous") is { } field ? new ActorSpec(field) : null,
                    "time" => ReadTime(g),
                    "sha256" => g.String("sha256") == "person" ? new PersonHashSpec() : Bad(g, "sha256", "'person' (the flow person's email)"),
                    _ => null,
                };
                g.ReportUnknown($"the value of '{name}'");
                return spec is null ? null : spec with { Presence = presence, Location = at };
            default:
                return null;
        }
    }

    private static ValueSpec? Bad(YamlMap g, string key, string what, YamlNode? node = null)
    {
        g.Error(node ?? g.Node(key)!, "wrong-type", $"'{key}' must be {what}");
        return null;
    }

    private static OneOfSpec? OneOf(YamlMap m, YamlSequenceNode seq, string name)
    {
        var choices = new List<Weighted<string>>();
        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode { Value: { } v }) choices.Add(new Weighted<string>(v, 1));
            else m.Error(item, "wrong-type", $"the choices of '{name}' must be single values");
        }
        if (choices.Count > 0) return new OneOfSpec(choices);
        m.Error(seq, "bad-value", $"'{name}' needs at least one choice");
        return null;
    }

    private static OneOfSpec? Weights(YamlMap g, YamlMappingNode weights, string name)
    {
        var w = g.Wrap(weights);
        var choices = new List<Weighted<string>>();
        foreach (var (value, _, _) in w.Entries())
        {
            if (w.Number(value) is { } weight and > 0) choices.Add(new Weighted<string>(value, weight));
            else if (w.Node(value) is { } n) w.Error(n, "bad-value", $"the weight of '{value}' must be a number above 0");
        }
        if (choices.Count > 0) return new OneOfSpec(choices);
        g.Error(weights, "bad-value", $"'{name}' needs at least one choice");
        return null;
    }

    private static RangeSpec? ReadRange(YamlMap g, string name)
    {
        var decimals = g.Int("decimals");
        if (g.Node("range") is YamlSequenceNode { Children.Count: 2 } seq
            && seq.Children[0] is YamlScalarNode { Value: { } a } && seq.Children[1] is YamlScalarNode { Value: { } b }
            && double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var max) && min <= max)
        {
            return new RangeSpec(min, max, Math.Clamp(decimals ?? 2, 0, 6));
        }
        g.Error(g.Node("range")!, "bad-value", $"'range' of '{name}' must be [min, max] with min <= max");
        return null;
    }

    private static TimeSpec? ReadTime(YamlMap g)
    {
        var s = g.String("time")?.Trim();
        if (s is "event") return new TimeSpec(TimeSpan.Zero);
        if (s is { Length: > 1 } && (s[0] is '+' or '-') && PlanDuration.TryParse(s[1..], out var d) && d != PlanDuration.Forever)
            return new TimeSpec(s[0] == '-' ? -d : d);
        g.Error(g.Node("time")!, "bad-value", "'time' must be 'event' or an offset from it such as +2d or -30m");
        return null;
    }
}
