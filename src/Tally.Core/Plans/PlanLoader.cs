using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tally.Core.Plans;

/// <summary>
/// Reads a tracking plan from YAML. Never throws on bad input: every problem becomes a located
/// <see cref="Diagnostic"/> (syntax errors, unknown keys, wrong value types), and as much of the plan as
/// could be read is returned so the linter can report further findings in one pass.
/// The format is documented in docs/plan-format.md and published as plans/tally-plan.schema.json.
/// </summary>
public static partial class PlanLoader
{
    public static PlanLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PlanLoadResult(null, [Diagnostic.Error("unreadable", $"cannot read plan: {e.Message}", new SourceLocation(path, 0, 0))]);
        }
        return Parse(text, path);
    }

    public static PlanLoadResult Parse(string yaml, string file = "plan.yaml")
    {
        var diagnostics = new List<Diagnostic>();
        var stream = new YamlStream();
        try
        {
            // Duplicate keys are reported and dropped on the way in, so the rest of the plan can still be read and linted.
            stream.Load(new DuplicateKeyFilter(new Parser(new StringReader(yaml)), file, diagnostics));
        }
        catch (YamlException e)
        {
            // YamlDotNet's messages start with "(Line: …)"; the location already says that.
            var message = MarkPrefix().Replace(e.Message, "").Trim();
            var at = new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column);
            diagnostics.Add(message.StartsWith("Duplicate key", StringComparison.Ordinal)
                ? Diagnostic.Error("duplicate-name", $"{message}; a name may be declared only once", at)
                : Diagnostic.Error("yaml-syntax", $"malformed YAML: {message}", at));
            return new PlanLoadResult(null, diagnostics);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diagnostics.Add(Diagnostic.Error("not-a-plan", "a plan must be a YAML mapping with at least 'plan', 'version' and 'events'", new SourceLocation(file, 1, 1)));
            return new PlanLoadResult(null, diagnostics);
        }
        var map = new YamlMap(root, file, diagnostics);
        var plan = ReadPlan(map, file);
        return new PlanLoadResult(plan, diagnostics);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):")]
    private static partial Regex MarkPrefix();

    private static TrackingPlan ReadPlan(YamlMap m, string file)
    {
        var plan = new TrackingPlan
        {
            Name = m.RequiredString("plan", "the plan"),
            Version = m.RequiredString("version", "the plan"),
            Description = m.String("description"),
            Environments = m.Node("environments") is null ? ["production"] : m.Strings("environments"),
            Envelope = m.Map("envelope") is { } env ? ReadEnvelope(env) : EnvelopeDefinition.SegmentDefault,
            Identity = m.Map("identity") is { } id ? ReadIdentity(id) : new IdentityDefinition(),
            Privacy = m.Map("privacy") is { } pr ? ReadPrivacy(pr) : new PrivacySettings(),
            Defaults = m.Map("defaults") is { } df ? ReadDefaults(df) : new PlanDefaults(),
            Naming = m.Map("naming") is { } nm ? ReadNaming(nm) : new NamingRules(),
            Categories = ReadNamed(m, "categories", ReadCategory),
            Properties = ReadNamed(m, "properties", ReadProperty),
            Events = ReadNamed(m, "events", ReadEvent),
            Journeys = ReadNamed(m, "journeys", ReadJourney),
            Funnels = ReadNamed(m, "funnels", ReadFunnel),
            Kpis = ReadNamed(m, "kpis", ReadKpi),
            Attributions = ReadNamed(m, "attribution", ReadAttribution),
            SourceFile = file,
            Location = m.Location,
        };
        m.ReportUnknown("the plan");
        return plan;
    }

    /// <summary>Reads a mapping of name → definition, keeping the written order.</summary>
    private static IReadOnlyList<T> ReadNamed<T>(YamlMap parent, string key, Func<string, YamlMap, YamlNode, T?> read) where T : class
    {
        var node = parent.Node(key);
        if (node is null || node is YamlScalarNode { Value: null or "" or "~" }) return [];
        if (node is not YamlMappingNode mapping)
        {
            parent.Error(node, "wrong-type", $"'{key}' must be a mapping of name to definition");
            return [];
        }
        var list = new List<T>();
        foreach (var (k, v) in mapping.Children)
        {
            if (k is not YamlScalarNode { Value: { } name }) continue;
            YamlMappingNode body;
            switch (v)
            {
                case YamlMappingNode mm:
                    body = mm;
                    break;
                case YamlScalarNode { Value: null or "" or "~" }:
                    body = new YamlMappingNode();
                    break;
                case YamlScalarNode { Value: { } shorthand } when key == "properties":
                    // `sessionId: string` is short for `sessionId: {type: string}`.
                    body = new YamlMappingNode { { "type", shorthand } };
                    break;
                default:
                    parent.Error(v, "wrong-type", $"'{name}' in '{key}' must be a mapping");
                    continue;
            }
            var item = read(name, parent.Wrap(body), k);
            if (item is not null) list.Add(item);
        }
        return list;
    }

    private static EnvelopeDefinition ReadEnvelope(YamlMap m)
    {
        var format = m.Enum("format", s => s switch { "segment" => EnvelopeFormat.Segment, "flat" => (EnvelopeFormat?)EnvelopeFormat.Flat, _ => null }, "segment, flat")
                     ?? EnvelopeFormat.Segment;
        var d = EnvelopeDefinition.SegmentDefault;
        var e = new EnvelopeDefinition
        {
            Format = format,
            Event = m.String("event") ?? (format == EnvelopeFormat.Flat ? "event_name" : d.Event),
            Timestamp = m.String("timestamp") ?? (format == EnvelopeFormat.Flat ? "event_timestamp" : d.Timestamp),
            EventId = m.String("event_id") ?? (format == EnvelopeFormat.Flat ? "event_id" : d.EventId),
            AnonymousId = m.String("anonymous_id") ?? (format == EnvelopeFormat.Flat ? "anonymous_id" : d.AnonymousId),
            UserId = m.String("user_id") ?? (format == EnvelopeFormat.Flat ? "user_id" : d.UserId),
            SessionId = m.String("session_id"),
            Environment = m.String("environment"),
            Source = m.String("source"),
            SentAt = m.String("sent_at") ?? (format == EnvelopeFormat.Flat ? null : d.SentAt),
            Properties = m.String("properties") ?? (format == EnvelopeFormat.Flat ? "" : d.Properties),
            Extra = m.Strings("extra"),
            Count = m.String("count"),
            Location = m.Location,
        };
        m.ReportUnknown("envelope");
        return e;
    }

    private static IdentityDefinition ReadIdentity(YamlMap m)
    {
        var i = new IdentityDefinition
        {
            Session = m.String("session"),
            SessionWindow = m.Duration("session_window") ?? TimeSpan.FromMinutes(30),
            MergeBy = m.String("merge_by"),
            OptOutProperty = m.String("opt_out_property"),
            OptOutEvent = m.String("opt_out_event"),
            Identifiers = m.Bool("identifiers") ?? true,
            Location = m.Location,
        };
        m.ReportUnknown("identity");
        return i;
    }

    private static PrivacySettings ReadPrivacy(YamlMap m)
    {
        var p = new PrivacySettings
        {
            Undeclared = m.Enum("undeclared", s => s switch
            {
                "drop" => UndeclaredPolicy.Drop,
                "quarantine" => UndeclaredPolicy.Quarantine,
                "hash" => (UndeclaredPolicy?)UndeclaredPolicy.Hash,
                _ => null,
            }, "drop, quarantine, hash") ?? UndeclaredPolicy.Drop,
            KeepContext = m.Strings("keep_context"),
            Location = m.Location,
        };
        m.ReportUnknown("privacy");
        return p;
    }

    private static PlanDefaults ReadDefaults(YamlMap m)
    {
        var d = new PlanDefaults
        {
            Retention = m.Duration("retention"),
            ArchiveAfter = m.Duration("archive_after"),
            Sampling = m.Number("sampling") ?? 1.0,
            AggregateRetention = m.Duration("aggregate_retention") ?? PlanDuration.Forever,
            Environment = m.String("environment"),
            Location = m.Location,
        };
        m.ReportUnknown("defaults");
        return d;
    }

    private static NamingRules ReadNaming(YamlMap m)
    {
        var n = new NamingRules
        {
            Style = m.Enum("style", s => s switch
            {
                "any" => NamingStyle.Any,
                "snake_case" => NamingStyle.SnakeCase,
                "dot_case" => (NamingStyle?)NamingStyle.DotCase,
                _ => null,
            }, "any, snake_case, dot_case") ?? NamingStyle.Any,
            Pattern = m.String("pattern"),
            Prefixes = m.Strings("prefixes"),
            PrefixRequired = m.Bool("prefix_required") ?? false,
            MinWords = m.Int("min_words") ?? 0,
            Location = m.Location,
        };
        m.ReportUnknown("naming");
        return n;
    }

    private static CategoryDefinition ReadCategory(string name, YamlMap m, YamlNode at)
    {
        var c = new CategoryDefinition
        {
            Name = name,
            Description = m.String("description"),
            Retention = m.Duration("retention"),
            ArchiveAfter = m.Duration("archive_after"),
            Reason = m.String("reason"),
            Location = m.At(at),
        };
        m.ReportUnknown($"category '{name}'");
        return c;
    }

    private static PropertyType? ParseType(string s) => s switch
    {
        "string" => PropertyType.String,
        "integer" or "int" => PropertyType.Integer,
        "number" or "double" or "float" => PropertyType.Number,
        "boolean" or "bool" => PropertyType.Boolean,
        "timestamp" or "datetime" or "date" => PropertyType.Timestamp,
        "enum" => PropertyType.Enum,
        "array" => PropertyType.Array,
        "object" => PropertyType.Object,
        _ => null,
    };

    private const string Types = "string, integer, number, boolean, timestamp, enum, array, object";

    private static PropertyDefinition ReadProperty(string name, YamlMap m, YamlNode at)
    {
        var type = m.Enum("type", ParseType, Types);
        if (type is null && m.Node("type") is null)
            m.Error(at, "missing-key", $"property '{name}' needs a 'type' ({Types})");
        var values = m.Strings("values");
        if (type is null && values.Count > 0) type = PropertyType.Enum;
        PropertyDefinition? items = null;
        var itemsNode = m.Node("items");
        if (itemsNode is YamlScalarNode { Value: { } itemType })
        {
            var it = ParseType(itemType.Trim().ToLowerInvariant());
            if (it is null) m.Error(itemsNode, "bad-value", $"'items': '{itemType}' is not one of {Types}");
            else items = new PropertyDefinition { Name = name + "[]", Type = it.Value, Location = m.At(itemsNode) };
        }
        else if (itemsNode is YamlMappingNode im)
        {
            items = ReadProperty(name + "[]", m.Wrap(im), itemsNode);
        }
        var nested = ReadNamed(m, "properties", ReadProperty);
        var p = new PropertyDefinition
        {
            Name = name,
            Type = type ?? PropertyType.String,
            Description = m.String("description"),
            Values = values,
            Items = items,
            Properties = nested,
            RequiredProperties = m.Strings("required"),
            Pattern = m.String("pattern"),
            Min = m.Number("min"),
            Max = m.Number("max"),
            MaxLength = m.Int("max_length"),
            Privacy = m.Enum("pii", ParsePolicy, "allow, hash, drop, length, day, ip") ?? PrivacyPolicy.Allow,
            Export = m.Bool("export") ?? true,
            OnlyIn = m.Strings("only_in"),
            Prehashed = m.Bool("prehashed") ?? false,
            Sanitized = m.Bool("sanitized") ?? false,
            Location = m.At(at),
        };
        if (p.Pattern is not null)
        {
            try { _ = new Regex(p.Pattern); }
            catch (ArgumentException e) { m.Error(m.Node("pattern")!, "bad-pattern", $"property '{name}': pattern is not a valid regular expression: {e.Message}"); }
        }
        m.ReportUnknown($"property '{name}'");
        return p;
    }

    private static PrivacyPolicy? ParsePolicy(string s) => s switch
    {
        "allow" => PrivacyPolicy.Allow,
        "hash" => PrivacyPolicy.Hash,
        "drop" => PrivacyPolicy.Drop,
        "length" => PrivacyPolicy.Length,
        "day" => PrivacyPolicy.Day,
        "ip" => PrivacyPolicy.Ip,
        _ => null,
    };

    private static EventDefinition ReadEvent(string name, YamlMap m, YamlNode at)
    {
        var e = new EventDefinition
        {
            Name = name,
            Description = m.String("description"),
            Category = m.String("category"),
            Required = m.Strings("required"),
            Optional = m.Strings("optional"),
            Properties = ReadNamed(m, "properties", ReadProperty),
            Essential = m.Bool("essential") ?? false,
            Sampling = m.Number("sampling"),
            MinSampling = m.Number("min_sampling"),
            Retention = m.Duration("retention"),
            ArchiveAfter = m.Duration("archive_after"),
            AggregateOnly = m.Bool("aggregate_only") ?? false,
            Personas = m.Strings("personas"),
            Owner = m.String("owner"),
            Location = m.At(at),
        };
        m.ReportUnknown($"event '{name}'");
        return e;
    }

    private static CountingUnit? ParseUnit(string s) => s switch
    {
        "session" => CountingUnit.Session,
        "user" => CountingUnit.User,
        "anonymous" or "actor" => CountingUnit.Anonymous,
        "event" => (CountingUnit?)CountingUnit.Event,
        _ => null,
    };

    private static IReadOnlyList<StepDefinition> ReadSteps(YamlMap m, string key, string owner)
    {
        var node = m.Node(key);
        if (node is null) return [];
        if (node is not YamlSequenceNode seq)
        {
            m.Error(node, "wrong-type", $"'{key}' of {owner} must be a list of steps");
            return [];
        }
        var steps = new List<StepDefinition>();
        foreach (var item in seq.Children)
        {
            if (item is YamlMappingNode sm)
            {
                var step = m.Wrap(sm);
                var filter = ReadFilterBody(step, item);
                steps.Add(new StepDefinition(filter, step.Bool("optional") ?? false, step.String("condition")));
                step.ReportUnknown($"a step of {owner}");
            }
            else if (ReadFilter(m, item, owner) is { } f)
            {
                steps.Add(new StepDefinition(f));
            }
        }
        return steps;
    }

    /// <summary>A filter written as <c>event_name</c>, <c>event_name(key=value, …)</c>, or <c>{event: …, where: {…}}</c>.</summary>
    private static EventFilter? ReadFilter(YamlMap m, YamlNode node, string owner)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text }:
                return ParseFilterText(text, m.At(node), m, node);
            case YamlMappingNode fm:
                var f = m.Wrap(fm);
                var filter = ReadFilterBody(f, node);
                f.ReportUnknown($"an event filter of {owner}");
                return filter;
            default:
                m.Error(node, "wrong-type", $"an event filter of {owner} must be an event name or {{event, where}}");
                return null;
        }
    }

    private static EventFilter ReadFilterBody(YamlMap f, YamlNode at)
    {
        var text = f.RequiredString("event", "an event filter");
        var parsed = ParseFilterText(text, f.At(at), f, at);
        var where = new Dictionary<string, string>(parsed.Where);
        if (f.Map("where") is { } w)
        {
            foreach (var (k, kn, v) in w.Entries())
            {
                if (v is YamlScalarNode { Value: { } value }) where[k] = value;
                else w.Error(v, "wrong-type", $"where '{k}' must compare with a single value");
                w.Node(k);
            }
        }
        return parsed with { Where = where };
    }

    private static EventFilter ParseFilterText(string text, SourceLocation at, YamlMap m, YamlNode node)
    {
        var open = text.IndexOf('(');
        if (open < 0 || !text.EndsWith(')')) return new EventFilter(text.Trim(), new Dictionary<string, string>(), at);
        var where = new Dictionary<string, string>();
        foreach (var part in text[(open + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) { m.Error(node, "bad-filter", $"'{part}' in '{text}' is not key=value"); continue; }
            where[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }
        return new EventFilter(text[..open].Trim(), where, at);
    }

    private static EventFilter? Filter(YamlMap m, string key, string owner)
    {
        var n = m.Node(key);
        return n is null ? null : ReadFilter(m, n, owner);
    }

    private static JourneyDefinition ReadJourney(string name, YamlMap m, YamlNode at)
    {
        var j = new JourneyDefinition
        {
            Name = name,
            Description = m.String("description"),
            Steps = ReadSteps(m, "steps", $"journey '{name}'"),
            Window = m.Duration("window") ?? TimeSpan.FromMinutes(30),
            Unit = m.Enum("unit", ParseUnit, "session, user, anonymous") ?? CountingUnit.Session,
            Location = m.At(at),
        };
        m.ReportUnknown($"journey '{name}'");
        return j;
    }

    private static FunnelDefinition ReadFunnel(string name, YamlMap m, YamlNode at)
    {
        var exclusions = new List<ExclusionDefinition>();
        if (m.Node("exclude") is YamlSequenceNode ex)
        {
            foreach (var item in ex.Children)
            {
                if (item is not YamlMappingNode em) { m.Error(item, "wrong-type", "an exclusion must be {event, where, after_step, before_step}"); continue; }
                var e = m.Wrap(em);
                var filter = ReadFilterBody(e, item);
                exclusions.Add(new ExclusionDefinition(filter, e.Int("after_step") ?? 1, e.Int("before_step") ?? 2));
                e.ReportUnknown($"an exclusion of funnel '{name}'");
            }
        }
        var f = new FunnelDefinition
        {
            Name = name,
            Description = m.String("description"),
            Unit = m.Enum("unit", ParseUnit, "session, user, anonymous") ?? CountingUnit.Session,
            Window = m.Duration("window") ?? TimeSpan.FromMinutes(30),
            Steps = ReadSteps(m, "steps", $"funnel '{name}'"),
            Exclusions = exclusions,
            BreakdownBy = m.String("breakdown_by"),
            Location = m.At(at),
        };
        m.ReportUnknown($"funnel '{name}'");
        return f;
    }

    private static KpiKind? ParseKind(string s) => s switch
    {
        "ratio" => KpiKind.Ratio,
        "count_per_day" => KpiKind.CountPerDay,
        "distinct_actors" => KpiKind.DistinctActors,
        "conversion_within" => KpiKind.ConversionWithin,
        "average_change" => KpiKind.AverageChange,
        "rate_by" => KpiKind.RateBy,
        "median" => KpiKind.Median,
        _ => null,
    };

    private static KpiDefinition? ReadKpi(string name, YamlMap m, YamlNode at)
    {
        var owner = $"KPI '{name}'";
        var kind = m.Enum("kind", ParseKind, "ratio, count_per_day, distinct_actors, conversion_within, average_change, rate_by, median");
        if (kind is null && m.Node("kind") is null) m.Error(at, "missing-key", $"{owner} needs a 'kind'");
        var k = new KpiDefinition
        {
            Name = name,
            Kind = kind ?? KpiKind.Ratio,
            Description = m.String("description"),
            Persona = m.String("persona"),
            Numerator = Filter(m, "numerator", owner),
            Denominator = Filter(m, "denominator", owner),
            Event = Filter(m, "event", owner),
            Start = Filter(m, "start", owner),
            End = Filter(m, "end", owner),
            Within = m.Duration("within"),
            Property = m.String("property"),
            Unit = m.Enum("unit", ParseUnit, "session, user, anonymous, event") ?? CountingUnit.Event,
            Period = m.String("period") ?? "day",
            GroupBy = m.Strings("group_by"),
            Note = m.String("note"),
            Location = m.At(at),
        };
        m.ReportUnknown(owner);
        return k;
    }

    private static AttributionDefinition? ReadAttribution(string name, YamlMap m, YamlNode at)
    {
        var owner = $"attribution '{name}'";
        var touch = Filter(m, "touch", owner);
        if (touch is null) m.Error(at, "missing-key", $"{owner} needs a 'touch' event");
        var conversions = new List<EventFilter>();
        var cn = m.Node("conversions");
        if (cn is YamlSequenceNode cs)
        {
            foreach (var c in cs.Children) if (ReadFilter(m, c, owner) is { } f) conversions.Add(f);
        }
        else if (cn is not null && ReadFilter(m, cn, owner) is { } single) conversions.Add(single);
        var a = new AttributionDefinition
        {
            Name = name,
            Description = m.String("description"),
            Touch = touch ?? new EventFilter("", new Dictionary<string, string>(), m.At(at)),
            CreditProperty = m.RequiredString("credit", owner),
            Conversions = conversions,
            Window = m.Duration("window") ?? TimeSpan.FromMinutes(30),
            Scope = m.Enum("scope", ParseUnit, "session, user, anonymous") ?? CountingUnit.Session,
            Location = m.At(at),
        };
        m.ReportUnknown(owner);
        return a;
    }
}
