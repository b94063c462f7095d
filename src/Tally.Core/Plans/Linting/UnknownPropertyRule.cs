namespace Tally.Core.Plans.Linting;

/// <summary>A filter, KPI, funnel breakdown, attribution, identity setting or event names a property that has no definition.</summary>
public sealed class UnknownPropertyRule : ILintRule
{
    public string Code => "unknown-property";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        foreach (var use in PlanReferences.Properties(plan))
        {
            switch (use.Scope)
            {
                case PropertyScope.Plan:
                    if (IsEnvelopeField(plan, use.Name)) continue;
                    var lookup = PropertyLookup.Resolve(plan, null, use.Name);
                    if (!lookup.Found) yield return Report(use, lookup, null);
                    break;
                case PropertyScope.AnyEvent:
                    var lookups = use.Events.Select(e => PropertyLookup.Resolve(plan, e, use.Name)).ToList();
                    if (!lookups.Any(l => l.Found)) yield return Report(use, lookups[0], null);
                    break;
                default:
                    foreach (var e in use.Events)
                    {
                        var l = PropertyLookup.Resolve(plan, e, use.Name);
                        if (!l.Found) yield return Report(use, l, use.Scope == PropertyScope.OwnEvent ? null : e);
                    }
                    break;
            }
        }
    }

    private Diagnostic Report(PropertyUse use, PropertyLookup l, EventDefinition? on)
    {
        var forEvent = on is null ? "" : $" for event '{on.Name}'";
        if (l.Parent is null)
            return Diagnostic.Error(Code, $"{use.UsedBy}: property '{use.Name}' is not defined{forEvent}{Suggest.Hint(l.Missing, l.Candidates)}", use.At);
        if (l.ParentDefinition is { Type: not PropertyType.Object } p)
            return Diagnostic.Error(Code, $"{use.UsedBy}: '{use.Name}' reaches into '{l.Parent}', which is {Article(p.Type)}, not an object", use.At);
        return Diagnostic.Error(Code,
            $"{use.UsedBy}: object '{l.Parent}' has no field '{l.Missing}'{forEvent}{Suggest.Hint(l.Missing, l.Candidates)}", use.At);
    }

    private static string Article(PropertyType t)
    {
        var name = t.ToString().ToLowerInvariant();
        return name[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? $"an {name}" : $"a {name}";
    }

    /// <summary>Identity settings may name a field the envelope maps (e.g. the session id) rather than a declared property.</summary>
    private static bool IsEnvelopeField(TrackingPlan plan, string name)
    {
        var env = plan.Envelope;
        return env.SessionId is { } s && (s == name || s.Split('.')[^1] == name);
    }
}
