using System.Text.Json.Nodes;
using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>
/// Holds a traffic profile to its plan: every event and property it names exists there, every value it can draw
/// passes the plan, and every required property can be given a value. A profile that passes makes only the invalid
/// events it asks for.
/// </summary>
public static class TrafficProfileCheck
{
    public static IReadOnlyList<Diagnostic> Check(TrafficProfile profile, TrackingPlan plan)
    {
        var found = new List<Diagnostic>();
        void Error(string code, string message, SourceLocation at)
        {
            var d = Diagnostic.Error(code, message, at);
            if (!found.Contains(d)) found.Add(d);
        }
        if (profile.Plan != plan.Name)
            Error("plan-mismatch", $"this profile is for plan '{profile.Plan}', not '{plan.Name}'", profile.Location);
        if (profile.Environment is { } env && !plan.Environments.Contains(env))
            Error("unknown-environment", $"environment '{env}' is not one of {string.Join(", ", plan.Environments)}", profile.Location);

        var generator = new TrafficGenerator(plan, profile);
        var declaredAnywhere = plan.Events.SelectMany(e => e.AllPropertyNames).Concat(plan.Properties.Select(p => p.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var p in profile.Properties)
        {
            if (!declaredAnywhere.Contains(p.Name))
                Error("unknown-property", $"no event of plan {plan.Name} declares '{p.Name}'{Suggest.Hint(p.Name, declaredAnywhere)}", p.Value.Location);
        }

        foreach (var flow in profile.Flows)
        {
            var actors = profile.Actors.With(flow.Actors);
            foreach (var v in flow.Vars)
                if (v.Value is VarSpec) Error("bad-value", $"variable '{v.Name}' cannot refer to another variable", v.Value.Location);
            foreach (var step in flow.Steps)
            {
                if (plan.FindEvent(step.Event) is not { } def)
                {
                    Error("unknown-event", $"'{step.Event}' is not in plan {plan.Name}{Suggest.Hint(step.Event, plan.Events.Select(e => e.Name))}", step.Location);
                    continue;
                }
                if (step.Login && actors.UserId is null)
                    Error("no-user-id", $"step '{step.Event}' logs in, but flow '{flow.Name}' has no actors.user_id pattern", step.Location);
                if (step.Count is not null && plan.Envelope.Count is null)
                    Error("no-count-field", $"plan {plan.Name} has no envelope 'count' field to carry a pre-counted payload", step.Location);
                foreach (var p in step.Properties)
                {
                    if (!def.Declares(p.Name))
                        Error("property-not-on-event", $"'{step.Event}' does not declare '{p.Name}'{Suggest.Hint(p.Name, def.AllPropertyNames)}", p.Value.Location);
                }
                CheckEvent(plan, generator, profile, def, step.Properties, flow, Error);
            }
        }

        if (profile.OptOut is { } optOut)
        {
            if (plan.Identity.OptOutEvent is not { } name || plan.FindEvent(name) is not { } def)
            {
                Error("no-opt-out-event", $"plan {plan.Name} has no identity.opt_out_event to send", profile.Location);
            }
            else
            {
                foreach (var p in optOut.Properties)
                    if (!def.Declares(p.Name))
                        Error("property-not-on-event", $"'{def.Name}' does not declare '{p.Name}'{Suggest.Hint(p.Name, def.AllPropertyNames)}", p.Value.Location);
                // The opt-out event may come in any flow, with that flow's variables.
                foreach (var flow in profile.Flows.Where(generator.MayOptOut)) CheckEvent(plan, generator, profile, def, optOut.Properties, flow, Error);
            }
        }
        return found;
    }

    /// <summary>Checks the values an event of a flow will get, from its own specs and the profile's defaults, and that its required properties are covered.</summary>
    private static void CheckEvent(TrackingPlan plan, TrafficGenerator generator, TrafficProfile profile, EventDefinition def,
        IReadOnlyList<PropertySpec> own, TrafficFlow flow, Action<string, string, SourceLocation> error)
    {
        var specs = own.Concat(profile.Properties.Where(p => def.Declares(p.Name) && own.All(o => o.Name != p.Name))).ToList();
        foreach (var p in specs)
        {
            if (!def.Declares(p.Name)) continue;
            CheckSpec(p.Value, plan.ResolveProperty(def, p.Name), $"'{p.Name}' of {def.Name}", flow, error);
            if (p.Value.Presence < 1 && def.Required.Contains(p.Name))
                error("optional-required", $"'{p.Name}' is required on {def.Name}: it cannot be left out with p < 1", p.Value.Location);
        }
        foreach (var name in def.Required)
        {
            if (specs.Any(s => s.Name == name) || generator.EnvelopeProperties.Contains(name) || name == plan.Identity.OptOutProperty) continue;
            if (plan.ResolveProperty(def, name) is { } pd && !TrafficGenerator.CanAutoFill(pd))
                error("no-value", $"{def.Name} requires '{name}', whose values cannot be made up ({Describe(pd)}): give it a value in the step or under the profile's properties", flow.Location);
        }
    }

    private static string Describe(PropertyDefinition pd) => pd.Pattern is { } p ? $"pattern {p}" : pd.Type.ToString().ToLowerInvariant();

    private static void CheckSpec(ValueSpec spec, PropertyDefinition? pd, string what, TrafficFlow flow, Action<string, string, SourceLocation> error)
    {
        void Refuse(JsonNode? value)
        {
            if (pd is not null && PropertyValues.Problem(pd, value) is { } why) error("bad-value", $"{what} {why}", spec.Location);
        }
        void Expect(params PropertyType[] types)
        {
            if (pd is not null && !types.Contains(pd.Type))
                error("bad-value", $"{what} is {pd.Type.ToString().ToLowerInvariant()}; this generator makes {string.Join(" or ", types.Select(t => t.ToString().ToLowerInvariant()))} values", spec.Location);
        }
        switch (spec)
        {
            case ConstantSpec c:
                Refuse(PropertyValues.Typed(c.Text, pd));
                break;
            case OneOfSpec o:
                foreach (var choice in o.Choices) Refuse(PropertyValues.Typed(choice.Value, pd));
                break;
            case VarSpec v:
                if (flow.Vars.FirstOrDefault(x => x.Name == v.Name) is not { } var)
                    error("unknown-var", $"{what} uses ${v.Name}, which flow '{flow.Name}' does not define under 'vars'", spec.Location);
                else
                    CheckSpec(var.Value with { Location = spec.Location }, pd, what, flow, error);
                break;
            case RangeSpec r:
                Expect(PropertyType.Integer, PropertyType.Number);
                if (pd?.Type is PropertyType.Integer or PropertyType.Number)
                {
                    Refuse(JsonValue.Create(pd.Type == PropertyType.Integer ? Math.Ceiling(r.Min) : r.Min));
                    Refuse(JsonValue.Create(pd.Type == PropertyType.Integer ? Math.Floor(r.Max) : r.Max));
                }
                break;
            case IdSpec i:
                Expect(PropertyType.String);
                if (pd?.Type == PropertyType.String)
                    for (var k = 0; k < 3; k++) Refuse(JsonValue.Create(i.Template.Render(new DemoRandom((ulong)k), k)));
                break;
            case BoolSpec:
                Expect(PropertyType.Boolean);
                break;
            case ArraySpec a:
                Expect(PropertyType.Array);
                CheckSpec(a.Item, pd?.Items, what + " items", flow, error);
                break;
            case ObjectSpec o:
                Expect(PropertyType.Object);
                foreach (var f in o.Fields)
                {
                    var nested = pd?.FindNested(f.Name);
                    if (pd is { Type: PropertyType.Object, OpenObject: false } && nested is null)
                        error("bad-value", $"{what} has no field '{f.Name}'{Suggest.Hint(f.Name, pd.Properties.Select(x => x.Name))}", f.Value.Location);
                    CheckSpec(f.Value, nested, $"{what}.{f.Name}", flow, error);
                }
                break;
            case ActorSpec:
                Expect(PropertyType.String);
                break;
            case TimeSpec:
                Expect(PropertyType.Timestamp);
                break;
            case PersonHashSpec:
                Expect(PropertyType.String);
                Refuse(JsonValue.Create(new string('a', 64)));
                break;
        }
    }
}
