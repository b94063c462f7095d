using System.Globalization;
using System.Text.Json.Nodes;
using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Storage.Tests.Contract;

/// <summary>
/// Random stored events for one plan's analytics, from a fixed seed: the event names its funnels, journeys, KPIs and
/// attribution mention (plus one they do not), properties with the values their filters, group-bys and credits compare
/// (as JSON strings, numbers and booleans, sometimes missing or null), numbers for medians and averages, a few actors
/// with identity links that merge anonymous ids and users, timestamps in bursts on a minute grid, walks through the
/// plan's funnel and journey steps (so chains form, some stop early, and ties are common), written out of order, some
/// in staging, some pre-counted.
/// </summary>
internal sealed class PlanAnalyticsData
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private PlanAnalyticsData(TrackingPlan plan, int seed, int count)
    {
        var r = new Random(seed);
        var names = Filters(plan).Select(f => f.Event).Where(n => n != EventFilter.AnyEvent).Append("unrelated_event").Distinct().Order(StringComparer.Ordinal).ToArray();
        var values = PropertyValues(plan);
        // Bursts a few hours apart: events of one actor close enough for 30-minute windows, yet spread over a week.
        // Some start just before a range's start or end, so that chains, touches and conversions cross them.
        var bursts = Enumerable.Range(0, 12).Select(_ => Monday.AddMinutes(r.Next(-2 * 1440, 6 * 1440)))
            .Concat(Ranges.SelectMany(range => new[] { range.From.AddMinutes(-20), range.To.AddMinutes(-25), range.To.AddMinutes(-15), range.To.AddMinutes(-8) }))
            .ToArray();
        // Walks through the steps of the plan's funnels and journeys, its touch-conversion pairs and its KPI events (in
        // order, a few minutes apart, some stopping early), so that chains complete, among noise events of every name.
        var chains = plan.Funnels.Select(f => f.Steps.Select(s => s.Filter).ToList())
            .Concat(plan.Journeys.Select(j => j.Steps.Select(s => s.Filter).ToList()))
            .ToList();
        var pairs = plan.Attributions.SelectMany(a => a.Conversions.Select(c => new List<EventFilter> { a.Touch, c }))
            .Concat(plan.Kpis.Where(k => k.Start is not null && k.End is not null).Select(k => new List<EventFilter> { k.Start!, k.End! }))
            .Concat(plan.Kpis.SelectMany(k => new[] { k.Numerator, k.Denominator, k.Event }.OfType<EventFilter>()).Select(f => new List<EventFilter> { f }))
            .ToList();
        while (Events.Count < count)
        {
            var at = r.Next(5) == 0
                ? Monday.AddMinutes(r.Next(-3 * 1440, 8 * 1440))
                : bursts[r.Next(bursts.Length)].AddMinutes(r.Next(0, 45));
            var actor = (Session: Pick(r, "s1", "s2", "s3", null), Anonymous: Pick(r, "a1", "a2", "a3", "a4", null), User: Pick(r, "u1", "u2", "u3", null, null));
            var paths = r.Next(2) == 0 ? chains : pairs;
            if (paths.Count > 0 && r.Next(2) == 0)
            {
                foreach (var step in paths[r.Next(paths.Count)])
                {
                    if (r.Next(6) == 0) break;
                    Add(r, seed, step.Event == EventFilter.AnyEvent ? names[r.Next(names.Length)] : step.Event, Jitter(r, at), actor, values, step.Where);
                    // Sometimes at the same instant, so that ties between steps are common.
                    at = r.Next(10) == 0 ? at.AddHours(r.Next(1, 30)) : at.AddMinutes(r.Next(0, 9));
                }
            }
            else
            {
                Add(r, seed, names[r.Next(names.Length)], Jitter(r, at), actor, values, null);
            }
        }
        // Events exactly at the ends of each range: a range holds its start, not its end.
        foreach (var range in Ranges)
        {
            foreach (var at in new[] { range.From, range.To.AddMilliseconds(-1), range.To })
                Add(r, seed, names[r.Next(names.Length)], at, ("s1", "a1", null), values, null);
        }
        Links.Add(new IdentityLink("a1", "u1", IdentityLink.Identify, Monday));
        Links.Add(new IdentityLink("a2", "u2", IdentityLink.Identify, Monday));
        Links.Add(new IdentityLink("mk:h1", "u2", IdentityLink.MergeKey, Monday));
        Links.Add(new IdentityLink("mk:h1", "u3", IdentityLink.MergeKey, Monday.AddDays(1)));
        Links.Add(new IdentityLink("a3", "u3", IdentityLink.Alias, Monday.AddDays(2)));
        // Arrival order is not time order.
        var shuffled = Events.OrderBy(_ => r.Next()).ToList();
        Events.Clear();
        Events.AddRange(shuffled);
    }

    public List<CollectedEvent> Events { get; } = [];

    private void Add(Random r, int seed, string name, DateTimeOffset at, (string? Session, string? Anonymous, string? User) actor,
        List<(string Key, string[] Values)> values, IReadOnlyDictionary<string, string>? where)
    {
        var properties = new JsonObject();
        foreach (var (key, choices) in values)
        {
            if (where is not null && where.TryGetValue(key, out var wanted) && r.Next(8) != 0)
            {
                properties[key] = Json(wanted);
                continue;
            }
            var pick = r.Next(choices.Length + 2);
            if (pick < choices.Length) properties[key] = Json(choices[pick]);
            else if (pick == choices.Length) properties[key] = null;
        }
        Events.Add(new CollectedEvent
        {
            EventId = $"e{seed}-{Events.Count:D5}",
            Name = name,
            Timestamp = at,
            ReceivedAt = at.AddSeconds(1),
            SessionId = actor.Session,
            AnonymousId = actor.Anonymous,
            UserId = actor.User,
            Environment = r.Next(10) == 0 ? "staging" : "production",
            Count = r.Next(10) == 0 ? 3 : 1,
            PropertiesJson = properties.ToJsonString(),
        });
    }

    public List<IdentityLink> Links { get; } = [];

    /// <summary>What the engines are given: the production events, as a store holds them.</summary>
    public IEnumerable<AnalyticsEvent> Production => Events.Where(e => e.Environment == "production").Select(AnalyticsEvent.From);

    public IdentityGraph Identities => new(Links);

    /// <summary>A range that cuts through the data (partial days at both ends) and one that holds all of it.</summary>
    public static IReadOnlyList<TimeRange> Ranges { get; } =
    [
        new(Monday.AddDays(1).AddHours(6).AddMinutes(7), Monday.AddDays(3).AddHours(18).AddMinutes(30)),
        new(Monday.AddDays(-4), Monday.AddDays(9)),
    ];

    public static PlanAnalyticsData For(TrackingPlan plan, int seed, int count = 500) => new(plan, seed, count);

    /// <summary>Every filter of the plan's analytics.</summary>
    public static IEnumerable<EventFilter> Filters(TrackingPlan plan) =>
        plan.Funnels.SelectMany(f => f.Steps.Select(s => s.Filter).Concat(f.Exclusions.Select(x => x.Filter)))
            .Concat(plan.Journeys.SelectMany(j => j.Steps.Select(s => s.Filter)))
            .Concat(plan.Attributions.SelectMany(a => a.Conversions.Append(a.Touch)))
            .Concat(plan.Kpis.SelectMany(k => new[] { k.Numerator, k.Denominator, k.Event, k.Start, k.End }.OfType<EventFilter>()));

    /// <summary>Each property the analytics read, with the values worth generating for it.</summary>
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
            Add(key, "x", "y");
        }
        foreach (var key in plan.Kpis.Select(k => k.Property).OfType<string>()) Add(key, "10", "25", "40", "2.5", "-3", "abc");
        return values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value.Order(StringComparer.Ordinal).ToArray())).ToList();
    }

    /// <summary>As a client would send it: booleans and numbers as JSON literals, the rest as strings.</summary>
    private static JsonNode? Json(string value) =>
        value is "true" or "false" ? JsonValue.Create(value == "true")
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
        : JsonValue.Create(value);

    /// <summary>Mostly on the minute grid (ties), sometimes a few seconds off it.</summary>
    private static DateTimeOffset Jitter(Random r, DateTimeOffset at) => r.Next(6) == 0 ? at.AddMilliseconds(r.Next(1, 60_000)) : at;

    private static string? Pick(Random r, params string?[] choices) => choices[r.Next(choices.Length)];
}
