using System.Globalization;
using System.Text.Json.Nodes;
using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Storage.Tests.Support;

/// <summary>
/// Random stored events for one plan's analytics from a fixed seed, made to hit the corners of the rules: few actors
/// (so chains, merges and ties meet), the names the plan's analytics mention plus noise, property values as strings,
/// numbers in several spellings (<c>500</c>, <c>5e2</c>, <c>500.0</c>, <c>"500"</c>), booleans, null or missing,
/// dotted keys as nested objects and now and then as literal keys, walks through funnel and journey steps with steps
/// at the same instant, events just outside windows and ranges and exactly at their ends, identity links that merge
/// anonymous ids and users, some in staging, some pre-counted, some aggregate-only (half the events the plan declares
/// so, now and then another). Written in shuffled order. The one generator of the storage tests: the contract suite
/// and the ClickHouse differential tests both use it.
/// </summary>
internal sealed class AnalyticsDataSet
{
    public static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A range cutting through the data at odd minutes, one holding all of it (across a month end), and one with nothing in it.</summary>
    public static IReadOnlyList<TimeRange> Ranges { get; } =
    [
        new(Monday.AddDays(1).AddHours(6).AddMinutes(7), Monday.AddDays(3).AddHours(18).AddMinutes(30)),
        new(Monday.AddDays(-4), Monday.AddDays(10)),
        new(Monday.AddHours(9).AddMinutes(41).AddSeconds(7), Monday.AddHours(13).AddMilliseconds(1)),
    ];

    private readonly Random _r;
    private readonly List<(string Key, string[] Values)> _values;
    private readonly string[] _names;
    private readonly HashSet<string> _aggregateOnly;

    private AnalyticsDataSet(TrackingPlan plan, int seed, int count)
    {
        _r = new Random(seed);
        _names = Filters(plan).Select(f => f.Event).Where(n => n != EventFilter.AnyEvent).Append("unrelated_event").Distinct().Order(StringComparer.Ordinal).ToArray();
        _values = PropertyValues(plan);
        _aggregateOnly = plan.Events.Where(e => e.AggregateOnly).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        // Bursts of activity, some just before a range's ends so chains and touches cross them.
        var bursts = Enumerable.Range(0, 10).Select(_ => Monday.AddMinutes(_r.Next(-3 * 1440, 8 * 1440)))
            .Concat(Ranges.SelectMany(range => new[] { range.From.AddMinutes(-25), range.To.AddMinutes(-25), range.To.AddMinutes(-8) }))
            .ToArray();
        var paths = plan.Funnels.Select(f => f.Steps.Select(s => s.Filter).ToList())
            .Concat(plan.Journeys.Select(j => j.Steps.Select(s => s.Filter).ToList()))
            .Concat(plan.Attributions.SelectMany(a => a.Conversions.Select(c => new List<EventFilter> { a.Touch, a.Touch, c })))
            .Concat(plan.Kpis.Where(k => k.Start is not null && k.End is not null).Select(k => new List<EventFilter> { k.Start!, k.End! }))
            // A KPI's own filters alone, so that the events its where-conditions ask for are common.
            .Concat(plan.Kpis.SelectMany(k => new[] { k.Numerator, k.Denominator, k.Event }.OfType<EventFilter>()).Select(f => new List<EventFilter> { f }))
            .ToList();
        while (Events.Count < count)
        {
            var at = _r.Next(6) == 0 ? Monday.AddMinutes(_r.Next(-5 * 1440, 10 * 1440)) : bursts[_r.Next(bursts.Length)].AddMinutes(_r.Next(0, 50));
            var actor = (Session: Pick("s1", "s2", "s3", "s4", null), Anonymous: Pick("a1", "a2", "a3", "a4", "a5", null), User: Pick("u1", "u2", "u3", "u4", null, null));
            if (paths.Count > 0 && _r.Next(5) < 2)
            {
                foreach (var step in paths[_r.Next(paths.Count)])
                {
                    if (_r.Next(7) == 0) break;
                    Add(step.Event == EventFilter.AnyEvent ? _names[_r.Next(_names.Length)] : step.Event, at, actor, step.Where);
                    // Often the same instant (ties between steps), sometimes far beyond any 30-minute window.
                    at = _r.Next(4) switch
                    {
                        0 => at,
                        1 => at.AddHours(_r.Next(1, 40)),
                        _ => at.AddMinutes(_r.Next(0, 20)).AddMilliseconds(_r.Next(3) == 0 ? _r.Next(1000) : 0),
                    };
                }
            }
            else
            {
                Add(_names[_r.Next(_names.Length)], at, actor, null);
            }
        }

        // Events exactly at the ends of each range: a range holds its start, not its end.
        foreach (var range in Ranges)
        {
            foreach (var at in new[] { range.From, range.To.AddMilliseconds(-1), range.To })
                Add(_names[_r.Next(_names.Length)], at, ("s1", "a1", null), null);
        }

        Links.Add(new IdentityLink("a1", "u1", IdentityLink.Identify, Monday));
        Links.Add(new IdentityLink("a2", "u2", IdentityLink.Identify, Monday));
        Links.Add(new IdentityLink("mk:h1", "u2", IdentityLink.MergeKey, Monday));
        Links.Add(new IdentityLink("mk:h1", "u3", IdentityLink.MergeKey, Monday.AddDays(1)));
        Links.Add(new IdentityLink("a3", "u3", IdentityLink.Alias, Monday.AddDays(2)));
        Links.Add(new IdentityLink("a3", "u3", IdentityLink.Identify, Monday.AddDays(3)));
        var shuffled = Events.OrderBy(_ => _r.Next()).ToList();
        Events.Clear();
        Events.AddRange(shuffled);
    }

    /// <summary>Every event written, in the (shuffled) order written.</summary>
    public List<CollectedEvent> Events { get; } = [];

    public List<IdentityLink> Links { get; } = [];

    /// <summary>What the engines are given: the stored production events.</summary>
    public IReadOnlyList<AnalyticsEvent> Production => Events.Where(e => e.Environment == "production" && !e.AggregateOnly).Select(AnalyticsEvent.From).ToList();

    /// <summary>What the KPI engine is given: the stored production events and the roll-up records of the aggregate-only ones.</summary>
    public IReadOnlyList<AnalyticsEvent> KpiEvents =>
        [.. Production, .. RollupEvents.From(Events.Where(e => e.AggregateOnly).Select(RollupRow.Of), "production")];

    public IdentityGraph Identities => new(Links);

    public static AnalyticsDataSet For(TrackingPlan plan, int seed, int count = 700) => new(plan, seed, count);

    /// <summary>Every filter of the plan's analytics.</summary>
    public static IEnumerable<EventFilter> Filters(TrackingPlan plan) =>
        plan.Funnels.SelectMany(f => f.Steps.Select(s => s.Filter).Concat(f.Exclusions.Select(x => x.Filter)))
            .Concat(plan.Journeys.SelectMany(j => j.Steps.Select(s => s.Filter)))
            .Concat(plan.Attributions.SelectMany(a => a.Conversions.Append(a.Touch)))
            .Concat(plan.Kpis.SelectMany(k => new[] { k.Numerator, k.Denominator, k.Event, k.Start, k.End }.OfType<EventFilter>()));

    private void Add(string name, DateTimeOffset at, (string? Session, string? Anonymous, string? User) actor, IReadOnlyDictionary<string, string>? where)
    {
        var properties = new JsonObject();
        foreach (var (key, choices) in _values)
        {
            string? value;
            if (where is not null && where.TryGetValue(key, out var wanted) && _r.Next(8) != 0) value = wanted;
            else
            {
                var pick = _r.Next(choices.Length + 2);
                if (pick == choices.Length + 1) continue;
                value = pick < choices.Length ? choices[pick] : null;
            }

            Set(properties, key, value);
        }

        Events.Add(new CollectedEvent
        {
            EventId = $"e{Events.Count:D5}",
            Name = name,
            Timestamp = at,
            ReceivedAt = at.AddSeconds(2),
            SessionId = actor.Session,
            AnonymousId = actor.Anonymous,
            UserId = actor.User,
            Environment = _r.Next(12) == 0 ? "staging" : "production",
            Count = _r.Next(8) == 0 ? _r.Next(2, 5) : 1,
            // Half the events the plan declares aggregate-only, so that KPIs add roll-ups to raw events and funnels still have some.
            AggregateOnly = _r.Next(_aggregateOnly.Contains(name) ? 2 : 40) == 0,
            PropertiesJson = properties.ToJsonString(),
        });
    }

    /// <summary>A dotted key as nested objects, or now and then literally; the value as a client might spell it.</summary>
    private void Set(JsonObject properties, string key, string? value)
    {
        var node = Json(value);
        var segments = key.Split('.');
        if (segments.Length == 1 || _r.Next(5) == 0)
        {
            properties[key] = node;
            return;
        }

        var parent = properties;
        foreach (var segment in segments[..^1])
        {
            if (parent[segment] is not JsonObject child)
            {
                child = new JsonObject();
                parent[segment] = child;
            }

            parent = child;
        }

        parent[segments[^1]] = node;
    }

    /// <summary>Booleans and numbers mostly as JSON literals (numbers in several spellings), sometimes as strings.</summary>
    private JsonNode? Json(string? value)
    {
        if (value is null) return null;
        if (value is "true" or "false") return _r.Next(6) == 0 ? JsonValue.Create(value) : JsonValue.Create(value == "true");
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || _r.Next(6) == 0) return JsonValue.Create(value);
        var spelling = _r.Next(4) switch
        {
            0 => d.ToString("0.0##", CultureInfo.InvariantCulture),
            1 => d.ToString("0.###E+0", CultureInfo.InvariantCulture),
            _ => value,
        };
        return JsonNode.Parse(spelling);
    }

    /// <summary>Each property the analytics read, with values worth generating for it.</summary>
    private static List<(string Key, string[] Values)> PropertyValues(TrackingPlan plan)
    {
        var values = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Add(string key, params string[] v)
        {
            if (!values.TryGetValue(key, out var set)) values[key] = set = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(v);
        }

        foreach (var f in Filters(plan))
        {
            foreach (var (key, value) in f.Where) Add(key, value, "other");
        }

        foreach (var key in plan.Kpis.SelectMany(k => k.GroupBy)
                     .Concat(plan.Funnels.Select(f => f.BreakdownBy).OfType<string>())
                     .Concat(plan.Attributions.Select(a => a.CreditProperty)))
        {
            Add(key, "x", "y", "500", "");
        }

        foreach (var key in plan.Kpis.Select(k => k.Property).OfType<string>()) Add(key, "10", "25", "40", "72.5", "2.5", "-3", "0.87", "1e3", "abc");
        return values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value.Order(StringComparer.Ordinal).ToArray())).ToList();
    }

    private string? Pick(params string?[] choices) => choices[_r.Next(choices.Length)];
}
