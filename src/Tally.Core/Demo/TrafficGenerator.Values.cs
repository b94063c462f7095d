using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tally.Core.Plans;

namespace Tally.Core.Demo;

public sealed partial class TrafficGenerator
{
    /// <summary>
    /// An event's property values: the step's specs, then the profile's defaults for properties the event declares,
    /// then a value of the declared type for every required property still missing. The opt-out flag, where the event
    /// has it, always tells the truth about the actor's consent.
    /// </summary>
    private List<(string Name, JsonNode Value)> Properties(Draft d, DateTimeOffset at, FlowState state)
    {
        var def = d.Def;
        var specs = new List<PropertySpec>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        void Add(IEnumerable<PropertySpec> list, bool onlyDeclared)
        {
            foreach (var p in list)
                if ((!onlyDeclared || def.Declares(p.Name)) && named.Add(p.Name)) specs.Add(p);
        }
        if (d.IsOptOut && _profile.OptOut is { } optOut) Add(optOut.Properties, onlyDeclared: false);
        if (d.Step is { } step) Add(step.Properties, onlyDeclared: false);
        Add(_profile.Properties, onlyDeclared: true);

        var values = new List<(string, JsonNode)>();
        var have = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (!state.Rng.Chance(spec.Value.Presence)) continue;
            var pd = _plan.ResolveProperty(def, spec.Name);
            if (Eval(spec.Value, pd, state, at, d.LoggedIn) is not { } value) continue;
            values.Add((spec.Name, value));
            have.Add(spec.Name);
        }
        foreach (var name in def.Required)
        {
            if (have.Contains(name) || _envelopeProperties.Contains(name)) continue;
            if (_plan.ResolveProperty(def, name) is not { } pd || Auto(pd, state, at) is not { } value) continue;
            values.Add((name, value));
            have.Add(name);
        }
        if (_plan.Identity.OptOutProperty is { } flag && def.Declares(flag))
        {
            values.RemoveAll(v => v.Item1 == flag);
            values.Add((flag, JsonValue.Create(d.OptedOut)));
        }
        return values;
    }

    /// <summary>
    /// Remembers the raw values a finished payload carries under properties whose policy transforms them (hash,
    /// length, drop, ip): the store must never hold them as sent. Read from the payload as sent, after any spoiling,
    /// so a value that was replaced or removed on the way is not counted.
    /// </summary>
    private void NotePlanted(JsonObject root, EventDefinition def, FlowState state)
    {
        foreach (var name in def.AllPropertyNames)
        {
            if (_plan.ResolveProperty(def, name) is { } pd && JsonPath.Get(root, PathOf(name)) is { } value) Note(pd, value, state.Planted);
        }
    }

    private static void Note(PropertyDefinition pd, JsonNode value, HashSet<string> planted)
    {
        if (pd.Type == PropertyType.Object && value is JsonObject obj)
        {
            foreach (var (field, v) in obj)
                if (pd.FindNested(field) is { } nested && v is not null) Note(nested, v, planted);
            return;
        }
        if (pd.Privacy is PrivacyPolicy.Allow or PrivacyPolicy.Day) return;
        if (value is JsonValue s && s.TryGetValue<string>(out var text) && text.Length >= 8) planted.Add(text);
    }

    /// <summary>Draws one value; null when the spec yields nothing (an id the actor does not have).</summary>
    private JsonNode? Eval(ValueSpec spec, PropertyDefinition? pd, FlowState state, DateTimeOffset at, bool loggedIn)
    {
        var rng = state.Rng;
        switch (spec)
        {
            case ConstantSpec c:
                return PropertyValues.Typed(c.Text, pd);
            case VarSpec v:
                return state.Vars.TryGetValue(v.Name, out var drawn) && drawn is not null ? PropertyValues.Retype(drawn, pd) : null;
            case OneOfSpec o:
                return PropertyValues.Typed(rng.Pick(o.Choices), pd);
            case RangeSpec r:
                if (pd?.Type == PropertyType.Integer || pd is null && r.Decimals == 0)
                    return JsonValue.Create(rng.Between((long)Math.Ceiling(r.Min), (long)Math.Floor(r.Max)));
                return JsonValue.Create(Math.Round(rng.Between(r.Min, r.Max), r.Decimals));
            case IdSpec i:
                return JsonValue.Create(i.Template.Render(rng, state.Number));
            case BoolSpec b:
                return JsonValue.Create(rng.Chance(b.TrueShare));
            case ArraySpec a:
                var array = new JsonArray();
                var n = a.Size.Sample(rng);
                for (var k = 0; k < n; k++)
                    if (Eval(a.Item, pd?.Items, state, at, loggedIn) is { } item) array.Add(item);
                return array;
            case ObjectSpec o:
                var obj = new JsonObject();
                foreach (var f in o.Fields)
                {
                    if (!rng.Chance(f.Value.Presence)) continue;
                    var nested = pd?.FindNested(f.Name);
                    if (Eval(f.Value, nested, state, at, loggedIn) is { } fv) obj[f.Name] = fv;
                }
                return obj;
            case ActorSpec a:
                var id = a.Field switch
                {
                    ActorField.Session => state.SessionId,
                    ActorField.User => loggedIn ? state.UserId : null,
                    _ => state.AnonymousId,
                };
                return id is null ? null : JsonValue.Create(id);
            case TimeSpec t:
                return JsonValue.Create((at + t.Offset).UtcDateTime.ToString(PropertyValues.IsoFormat, CultureInfo.InvariantCulture));
            case PersonHashSpec:
                return JsonValue.Create(state.Person.EmailSha256);
            default:
                return null;
        }
    }

    /// <summary>
    /// A value of the declared type for a required property the profile says nothing about. Properties whose policy
    /// transforms them get the raw personal data a real client would send (an IP, a user agent, free text), so the
    /// policies have something to act on.
    /// </summary>
    private static JsonNode? Auto(PropertyDefinition pd, FlowState state, DateTimeOffset at)
    {
        var rng = state.Rng;
        switch (pd.Type)
        {
            case PropertyType.Timestamp:
                return JsonValue.Create(pd.Privacy == PrivacyPolicy.Day
                    ? at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : at.UtcDateTime.ToString(PropertyValues.IsoFormat, CultureInfo.InvariantCulture));
            case PropertyType.Enum:
                return pd.Values.Count == 0 ? null : JsonValue.Create(rng.Pick(pd.Values));
            case PropertyType.Boolean:
                return JsonValue.Create(rng.Chance(0.5));
            case PropertyType.Integer:
            {
                var min = (long)Math.Ceiling(pd.Min ?? 0);
                return JsonValue.Create(rng.Between(min, (long)Math.Floor(pd.Max ?? min + 100)));
            }
            case PropertyType.Number:
            {
                var min = pd.Min ?? 0;
                return JsonValue.Create(Math.Round(rng.Between(min, pd.Max ?? min + 100), 2));
            }
            case PropertyType.String:
                return AutoString(pd, state) is { } s ? JsonValue.Create(s) : null;
            case PropertyType.Array:
                var array = new JsonArray();
                var n = rng.Between(1, 3);
                for (var i = 0; i < n; i++)
                {
                    var item = pd.Items is { } items ? Auto(items, state, at) : JsonValue.Create(pd.Name + "_" + rng.Hex(4));
                    if (item is null) return null;
                    array.Add(item);
                }
                return array;
            case PropertyType.Object:
                var obj = new JsonObject();
                foreach (var name in pd.RequiredProperties)
                {
                    if (pd.FindNested(name) is not { } nested || Auto(nested, state, at) is not { } v) return null;
                    obj[name] = v;
                }
                return obj;
            default:
                return null;
        }
    }

    private static string? AutoString(PropertyDefinition pd, FlowState state)
    {
        var rng = state.Rng;
        var person = state.Person;
        var name = pd.Name.ToLowerInvariant();
        var s = pd.Privacy switch
        {
            PrivacyPolicy.Ip => person.Ip,
            PrivacyPolicy.Length => person.Sentence,
            _ when name.Contains("email") => person.Email,
            _ when name.Contains("phone") => person.Phone,
            _ when name.Contains("agent") => person.UserAgent(rng),
            _ when name.Contains("address") => person.Address,
            PrivacyPolicy.Hash or PrivacyPolicy.Drop => person.Sentence,
            _ when pd.Prehashed => person.EmailSha256,
            _ => $"{pd.Name}_{rng.Hex(6)}",
        };
        if (pd.MaxLength is { } max && s.Length > max) s = s[..max];
        if (pd.Pattern is { } pattern && !Regex.IsMatch(s, pattern, RegexOptions.CultureInvariant))
        {
            // A prehashed value's usual shape; anything else must come from the profile.
            s = person.EmailSha256;
            if (!Regex.IsMatch(s, pattern, RegexOptions.CultureInvariant)) return null;
        }
        return s;
    }

    /// <summary>Can a value be made up for this property when the profile gives none? (False for most patterned strings.)</summary>
    public static bool CanAutoFill(PropertyDefinition pd)
    {
        var state = new FlowState(new DemoRandom(1), 0, FakePerson.Draw(new DemoRandom(1))) { Planted = [] };
        var value = Auto(pd, state, DateTimeOffset.UnixEpoch);
        return value is not null && PropertyValues.Problem(pd, value) is null;
    }
}
