using System.Globalization;
using System.Text.Json.Nodes;
using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>
/// Makes demo traffic for a plan from its traffic profile: flows of events with drop-off, realistic property values,
/// opt-outs, invalid events and personal data, each payload shaped by the plan's envelope exactly as a client would
/// send it. Pure and deterministic: the same plan, profile, seed, base time and flow count give the same payloads.
/// Every timestamp lies before the base time and within the profile's spread of it.
/// </summary>
public sealed partial class TrafficGenerator
{
    private readonly TrackingPlan _plan;
    private readonly TrafficProfile _profile;
    private readonly EnvelopeDefinition _env;
    private readonly Dictionary<string, string> _extraPaths = new(StringComparer.Ordinal);
    /// <summary>Envelope paths a spoiled event leaves alone: changing them would change which event it is, or when.</summary>
    private readonly HashSet<string> _protectedPaths = new(StringComparer.Ordinal);
    /// <summary>Properties the envelope writes (name, time, ids, environment): never drawn as values.</summary>
    private readonly HashSet<string> _envelopeProperties = new(StringComparer.Ordinal);
    private readonly bool _dayTimestamps;
    private readonly string _environment;
    private readonly string? _sessionPath;

    public TrafficGenerator(TrackingPlan plan, TrafficProfile profile)
    {
        _plan = plan;
        _profile = profile;
        _env = plan.Envelope;
        foreach (var extra in _env.Extra) _extraPaths[extra[(extra.LastIndexOf('.') + 1)..]] = extra;
        _sessionPath = _env.SessionId ?? (plan.Identity.Session is { } s ? PathOf(s) : null);
        string?[] protectedPaths = [_env.Event, _env.Timestamp, _env.EventId, _env.Environment, _env.Source, _env.Count];
        foreach (var p in protectedPaths) if (p is not null) _protectedPaths.Add(p);
        string?[] written = [_env.Event, _env.Timestamp, _env.EventId, _env.AnonymousId, _env.UserId, _sessionPath, _env.Environment,
            profile.Source is null ? null : _env.Source];
        foreach (var p in written)
            if (p is not null && PropertyAt(p) is { } name) _envelopeProperties.Add(name);
        // A plan whose time field is day-coarsened (seed 004's event_date) gets dates, as its clients send them.
        _dayTimestamps = plan.Properties.FirstOrDefault(p => p.Name == LastSegment(_env.Timestamp)) is { Privacy: PrivacyPolicy.Day };
        _environment = profile.Environment ?? plan.Defaults.Environment ?? plan.Environments.FirstOrDefault() ?? "production";
    }

    public TrackingPlan Plan => _plan;
    public TrafficProfile Profile => _profile;

    /// <summary>Where a property is written in a payload: beside the bag for the envelope's extra fields, else in the bag.</summary>
    public string PathOf(string property) =>
        _extraPaths.TryGetValue(property, out var extra) ? extra : _env.Properties.Length == 0 ? property : $"{_env.Properties}.{property}";

    /// <summary>The property a payload path holds, if it is inside the bag (or is an extra field).</summary>
    private string? PropertyAt(string path)
    {
        foreach (var (name, extra) in _extraPaths) if (extra == path) return name;
        if (_env.Properties.Length == 0) return path.Contains('.') ? null : path;
        return path.StartsWith(_env.Properties + ".", StringComparison.Ordinal) && path.IndexOf('.', _env.Properties.Length + 1) < 0
            ? path[(_env.Properties.Length + 1)..] : null;
    }

    /// <summary>Properties the envelope fills in, so a profile need not (and a required-property check counts them as given).</summary>
    public IReadOnlySet<string> EnvelopeProperties => _envelopeProperties;

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];

    public GeneratedTraffic Generate(long seed, DateTimeOffset baseTime, int? flows = null)
    {
        var count = flows ?? _profile.Sessions;
        if (_profile.Flows.Count == 0) throw new InvalidOperationException("the traffic profile has no flows");
        // Millisecond precision throughout: timestamps are written to the millisecond and must read back equal.
        var end = DateTimeOffset.FromUnixTimeMilliseconds(baseTime.ToUnixTimeMilliseconds() - 1000);
        var planted = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<(GeneratedEvent Event, int Sequence)>();
        for (var i = 0; i < count; i++)
        {
            var seq = 0;
            foreach (var e in GenerateFlow(DemoRandom.For(seed, i), i, end, planted)) events.Add((e, seq++));
        }
        events.Sort((a, b) =>
        {
            var c = a.Event.Timestamp.CompareTo(b.Event.Timestamp);
            if (c == 0) c = a.Event.Flow.CompareTo(b.Event.Flow);
            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        });
        return new GeneratedTraffic(events.Select(e => e.Event).ToList(), planted, count);
    }

    /// <summary>One actor's flow: who they are, which steps they reach, and when.</summary>
    private sealed class FlowState(DemoRandom rng, int number, FakePerson person)
    {
        public DemoRandom Rng { get; } = rng;
        public int Number { get; } = number;
        public FakePerson Person { get; } = person;
        public string? AnonymousId { get; set; }
        public string? UserId { get; set; }
        public string? SessionId { get; set; }
        public Dictionary<string, JsonNode?> Vars { get; } = new(StringComparer.Ordinal);
        public required HashSet<string> Planted { get; init; }
    }

    private sealed class Draft
    {
        public required EventDefinition Def { get; init; }
        public TrafficStep? Step { get; init; }
        public TimeSpan Offset { get; set; }
        public bool LoggedIn { get; init; }
        public bool OptedOut { get; set; }
        public bool IsOptOut { get; init; }
        public long? Count { get; init; }
    }

    private IEnumerable<GeneratedEvent> GenerateFlow(DemoRandom rng, int number, DateTimeOffset end, HashSet<string> planted)
    {
        var flow = rng.Pick(_profile.Flows.Select(f => new Weighted<TrafficFlow>(f, f.Weight)).ToList());
        var actors = _profile.Actors.With(flow.Actors);
        var state = new FlowState(rng, number, FakePerson.Draw(rng)) { Planted = planted };
        var identified = rng.Chance(actors.Identified ?? 0);
        if (_plan.Identity.Identifiers)
        {
            state.AnonymousId = actors.AnonymousId?.Render(rng, number);
            state.UserId = identified ? actors.UserId?.Render(rng, number) : null;
            state.SessionId = actors.SessionId?.Render(rng, number);
        }
        foreach (var v in flow.Vars) state.Vars[v.Name] = Eval(v.Value, null, state, end, loggedIn: true);

        var drafts = Timeline(flow, state, identified);
        if (drafts.Count == 0) yield break;
        if (MayOptOut(flow)) InsertOptOut(drafts, state);

        // Place the flow so that it ends before the base time and starts within the spread.
        var duration = drafts[^1].Offset;
        var room = Math.Max(0, (_profile.Spread - duration).TotalMilliseconds);
        var start = end - duration - TimeSpan.FromMilliseconds(Math.Floor(rng.NextDouble() * room));
        foreach (var d in drafts)
        {
            var at = start + d.Offset;
            yield return Build(d, at, state);
        }
    }

    /// <summary>The steps this flow's actor reaches, with their offsets from the flow's start.</summary>
    private List<Draft> Timeline(TrafficFlow flow, FlowState state, bool identified)
    {
        var rng = state.Rng;
        var drafts = new List<Draft>();
        var loggedIn = identified && !flow.Steps.Any(s => s.Login);
        var t = TimeSpan.Zero;
        foreach (var step in flow.Steps)
        {
            if (!rng.Chance(step.Continue)) break;
            if (step.Optional is { } chance && !rng.Chance(chance)) continue;
            if (step.Login)
            {
                // Someone who never signs in does not get past the sign-in.
                if (!identified) break;
                loggedIn = true;
            }
            var def = _plan.FindEvent(step.Event) ?? throw new InvalidOperationException($"event '{step.Event}' is not in plan {_plan.Name}");
            var repeat = step.Repeat.Sample(rng);
            for (var r = 0; r < repeat; r++)
            {
                if (drafts.Count > 0) t += (step.Gap ?? _profile.Gap).Sample(rng);
                drafts.Add(new Draft { Def = def, Step = step, Offset = t, LoggedIn = loggedIn, Count = step.Count?.Sample(rng) });
            }
        }
        return drafts;
    }

    /// <summary>
    /// Whether the people of this flow may opt out. A shared id (a batch job's name) stands for many flows: one of
    /// them opting out would silence them all, so such flows never do.
    /// </summary>
    public bool MayOptOut(TrafficFlow flow)
    {
        var actors = _profile.Actors.With(flow.Actors);
        return _profile.OptOut is { Share: > 0 } && actors.AnonymousId?.IsConstant != true && actors.UserId?.IsConstant != true
            && (actors.AnonymousId is not null || actors.UserId is not null);
    }

    /// <summary>
    /// Some actors opt out part-way: the plan's opt-out event goes between two of their events, and everything after it
    /// is still sent (a client that ignores consent), for the collector to drop.
    /// </summary>
    private void InsertOptOut(List<Draft> drafts, FlowState state)
    {
        if (_profile.OptOut is not { } optOut || _plan.Identity.OptOutEvent is not { } name || _plan.FindEvent(name) is not { } def) return;
        if (drafts.Count < 2 || state.AnonymousId is null && state.UserId is null) return;
        if (!state.Rng.Chance(optOut.Share)) return;
        var k = (int)state.Rng.Between(1, drafts.Count - 1);
        var at = drafts[k - 1].Offset + (drafts[k].Offset - drafts[k - 1].Offset) / 2;
        at = TimeSpan.FromMilliseconds(Math.Floor(at.TotalMilliseconds));
        drafts.Insert(k, new Draft { Def = def, Offset = at, LoggedIn = drafts[k - 1].LoggedIn, IsOptOut = true, OptedOut = true });
        for (var i = k + 1; i < drafts.Count; i++) drafts[i].OptedOut = true;
    }

    private GeneratedEvent Build(Draft d, DateTimeOffset at, FlowState state)
    {
        var rng = state.Rng;
        var def = d.Def;
        var root = new JsonObject();
        // The envelope first, so payloads read like a client's; then the properties; then the envelope again, as
        // it wins where the two share a field (seed 003's ts and env are both envelope fields and properties).
        var envelope = Envelope(def.Name, at, d, state);
        foreach (var (path, value) in envelope) JsonPath.Set(root, path, value);
        foreach (var (property, value) in Properties(d, at, state)) JsonPath.Set(root, PathOf(property), value);
        foreach (var (path, value) in envelope)
            if (!JsonNode.DeepEquals(JsonPath.Get(root, path), value)) JsonPath.Set(root, path, value.DeepClone());

        var intent = d.OptedOut && !d.IsOptOut && !def.Essential ? EventIntent.AfterOptOut : EventIntent.Valid;
        string? fault = null, pii = null;
        // Only events that would be stored are spoiled: an opted-out actor's events are dropped before validation.
        if (intent == EventIntent.Valid && !d.IsOptOut && _profile.Invalid is { Share: > 0 } invalid && rng.Chance(invalid.Share))
        {
            fault = Spoil(root, def, rng.Pick(invalid.Kinds), rng);
            intent = EventIntent.Invalid;
        }
        if (_profile.Pii is { Share: > 0 } mix && rng.Chance(mix.Share))
            pii = PlantPersonalData(root, def, rng.Pick(mix.Kinds), state);
        NotePlanted(root, def, state);
        var name = fault == InvalidKinds.UnknownEvent ? JsonPath.Get(root, _env.Event)!.GetValue<string>() : def.Name;
        return new GeneratedEvent(root.ToJsonString(), name, _dayTimestamps ? at.UtcDateTime.Date : at, intent, fault, pii, state.Number, d.IsOptOut);
    }

    private List<(string Path, JsonNode Value)> Envelope(string name, DateTimeOffset at, Draft d, FlowState state)
    {
        var fields = new List<(string, JsonNode)>();
        if (_env.Format == EnvelopeFormat.Segment) fields.Add(("type", "track"));
        fields.Add((_env.Event, name));
        fields.Add((_env.EventId, state.Rng.Uuid()));
        fields.Add((_env.Timestamp, TimeText(at)));
        if (state.AnonymousId is { } anon) fields.Add((_env.AnonymousId, anon));
        if (d.LoggedIn && state.UserId is { } user) fields.Add((_env.UserId, user));
        if (state.SessionId is { } session && _sessionPath is not null) fields.Add((_sessionPath, session));
        if (_env.Environment is { } envPath) fields.Add((envPath, _environment));
        if (_env.Source is { } sourcePath && _profile.Source is { } source) fields.Add((sourcePath, source));
        if (_env.Count is { } countPath && d.Count is { } count) fields.Add((countPath, count));
        if (_env.Format == EnvelopeFormat.Segment) fields.Add(("context.library", new JsonObject { ["name"] = "analytics.js", ["version"] = "2.11.1" }));
        return fields;
    }

    private string TimeText(DateTimeOffset at) => _dayTimestamps
        ? at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : at.UtcDateTime.ToString(PropertyValues.IsoFormat, CultureInfo.InvariantCulture);
}
