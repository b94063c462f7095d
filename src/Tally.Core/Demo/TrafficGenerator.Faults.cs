using System.Text.Json.Nodes;
using Tally.Core.Plans;

namespace Tally.Core.Demo;

public sealed partial class TrafficGenerator
{
    /// <summary>
    /// Spoils a valid payload the way buggy clients do and returns the violation code that results. A kind the event
    /// offers nothing for (no enum property to misspell) falls back to a missing property, then to an unknown name.
    /// </summary>
    private string Spoil(JsonObject root, EventDefinition def, string kind, DemoRandom rng)
    {
        foreach (var k in new[] { kind, InvalidKinds.MissingProperty, InvalidKinds.UnknownEvent })
        {
            var done = k switch
            {
                InvalidKinds.MissingProperty => RemoveRequired(root, def, rng),
                InvalidKinds.EnumViolation => MisspellEnum(root, def, rng),
                InvalidKinds.WrongType => MistypeValue(root, def, rng),
                _ => RenameEvent(root, def, rng),
            };
            if (done) return k;
        }
        return InvalidKinds.UnknownEvent;
    }

    /// <summary>Present properties of the event that spoiling may touch (not the name, time or id fields).</summary>
    private List<(string Name, string Path, PropertyDefinition Def)> Touchable(JsonObject root, EventDefinition def, IEnumerable<string> names)
    {
        var list = new List<(string, string, PropertyDefinition)>();
        foreach (var name in names)
        {
            var path = PathOf(name);
            if (_protectedPaths.Contains(path) || JsonPath.Get(root, path) is null || _plan.ResolveProperty(def, name) is not { } pd) continue;
            list.Add((name, path, pd));
        }
        return list;
    }

    private bool RemoveRequired(JsonObject root, EventDefinition def, DemoRandom rng)
    {
        var candidates = Touchable(root, def, def.Required);
        if (candidates.Count == 0) return false;
        return JsonPath.Remove(root, rng.Pick(candidates).Path);
    }

    private bool MisspellEnum(JsonObject root, EventDefinition def, DemoRandom rng)
    {
        var candidates = Touchable(root, def, def.AllPropertyNames).Where(c => c.Def.Type == PropertyType.Enum).ToList();
        if (candidates.Count == 0) return false;
        var (_, path, pd) = rng.Pick(candidates);
        var value = JsonPath.Get(root, path)!.GetValue<string>();
        // The misspellings clients really send: another case, a hyphen for an underscore, a plural.
        string[] tries = [char.ToUpperInvariant(value[0]) + value[1..], value.Replace('_', '-'), value + "s", value.ToUpperInvariant() + "_X"];
        var wrong = tries.First(t => !pd.Values.Contains(t));
        JsonPath.Set(root, path, wrong);
        return true;
    }

    private bool MistypeValue(JsonObject root, EventDefinition def, DemoRandom rng)
    {
        var candidates = Touchable(root, def, def.AllPropertyNames)
            .Where(c => c.Def.Type is PropertyType.Integer or PropertyType.Number or PropertyType.Boolean).ToList();
        if (candidates.Count == 0) return false;
        var (_, path, pd) = rng.Pick(candidates);
        var current = JsonPath.Get(root, path)!;
        // Numbers sent as strings (a form field read as text) and booleans sent as "yes".
        JsonPath.Set(root, path, pd.Type == PropertyType.Boolean ? "yes" : current.ToJsonString());
        return true;
    }

    private bool RenameEvent(JsonObject root, EventDefinition def, DemoRandom rng)
    {
        var name = def.Name;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            // A typo: one character left out, or two swapped.
            var i = (int)rng.Between(1, name.Length - 2);
            var typo = attempt % 2 == 0 ? name.Remove(i, 1) : name[..i] + name[i + 1] + name[i] + name[(i + 2)..];
            if (typo != name && _plan.FindEvent(typo) is null)
            {
                JsonPath.Set(root, _env.Event, typo);
                return true;
            }
        }
        JsonPath.Set(root, _env.Event, name + "_v0");
        return true;
    }

    private static readonly string[] UndeclaredNames = ["email", "user_email", "phone_number", "customer_name"];

    /// <summary>Plants raw personal data as careless clients do and returns the kind planted (after any fallback), or null.</summary>
    private string? PlantPersonalData(JsonObject root, EventDefinition def, string kind, FlowState state)
    {
        var person = state.Person;
        if (kind == PiiKinds.Context && _env.Format == EnvelopeFormat.Segment)
        {
            var ua = person.UserAgent(state.Rng);
            JsonPath.Set(root, "context.ip", person.Ip);
            JsonPath.Set(root, "context.userAgent", ua);
            state.Planted.Add(person.Ip);
            state.Planted.Add(ua);
            return PiiKinds.Context;
        }
        if (kind == PiiKinds.Declared)
        {
            var candidates = Touchable(root, def, def.AllPropertyNames).Select(c => c.Def)
                .Concat(def.AllPropertyNames.Where(n => JsonPath.Get(root, PathOf(n)) is null && !_protectedPaths.Contains(PathOf(n)))
                    .Select(n => _plan.ResolveProperty(def, n)).OfType<PropertyDefinition>())
                .Where(pd => pd.Type == PropertyType.String && pd.Privacy is PrivacyPolicy.Hash or PrivacyPolicy.Length or PrivacyPolicy.Drop or PrivacyPolicy.Ip)
                .Select(pd => (Def: pd, Value: RawValueFor(pd, state)))
                .Where(c => PropertyValues.Problem(c.Def, JsonValue.Create(c.Value)) is null)
                .ToList();
            if (candidates.Count > 0)
            {
                var (pd, value) = state.Rng.Pick(candidates);
                JsonPath.Set(root, PathOf(pd.Name), value);
                state.Planted.Add(value);
                return PiiKinds.Declared;
            }
        }
        // Where undeclared data sends the whole event to quarantine, planting it would make a valid event invalid.
        if (_plan.Privacy.Undeclared == UndeclaredPolicy.Quarantine) return null;
        var field = UndeclaredNames.FirstOrDefault(n => !def.Declares(n) && !_envelopeProperties.Contains(n));
        if (field is null) return null;
        var raw = field switch
        {
            "phone_number" => person.Phone,
            "customer_name" => person.FullName,
            _ => person.Email,
        };
        JsonPath.Set(root, PathOf(field), raw);
        state.Planted.Add(raw);
        return PiiKinds.Undeclared;
    }

    private static string RawValueFor(PropertyDefinition pd, FlowState state)
    {
        var name = pd.Name.ToLowerInvariant();
        var person = state.Person;
        return pd.Privacy switch
        {
            PrivacyPolicy.Ip => person.Ip,
            PrivacyPolicy.Length => person.Sentence,
            _ when name.Contains("phone") => person.Phone,
            _ when name.Contains("address") => person.Address,
            _ when name.Contains("url") => $"https://track.example.com/t/{state.Rng.Hex(10)}?email={person.Email}",
            _ when name.Contains("auth") => $"Bearer sk_live_{state.Rng.Hex(24)}",
            _ when name.Contains("order") => $"AUR-{state.Rng.Digits(8)}",
            _ => person.Email,
        };
    }
}
