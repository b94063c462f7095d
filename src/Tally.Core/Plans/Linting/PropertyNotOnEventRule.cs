namespace Tally.Core.Plans.Linting;

/// <summary>
/// A filter, KPI, breakdown or credit uses a property that is defined but not declared (required or optional) on
/// the event it applies to: the collector would drop it as undeclared, so the condition could never hold.
/// </summary>
public sealed class PropertyNotOnEventRule : ILintRule
{
    public string Code => "property-not-on-event";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        foreach (var use in PlanReferences.Properties(plan))
        {
            var head = use.Name.Split('.')[0];
            switch (use.Scope)
            {
                case PropertyScope.EachEvent:
                    foreach (var e in use.Events)
                    {
                        // An undefined property is unknown-property's finding; saying it twice helps no one.
                        if (!e.Declares(head) && PropertyLookup.Resolve(plan, e, use.Name).Found)
                            yield return Diagnostic.Error(Code,
                                $"{use.UsedBy}: event '{e.Name}' does not declare property '{head}'; add it to its required or optional list", use.At);
                    }
                    break;
                case PropertyScope.AnyEvent:
                    if (!use.Events.Any(e => e.Declares(head)) && use.Events.Any(e => PropertyLookup.Resolve(plan, e, use.Name).Found))
                        yield return Diagnostic.Error(Code,
                            $"{use.UsedBy}: none of its events ({string.Join(", ", use.Events.Select(e => e.Name))}) declares property '{head}'", use.At);
                    break;
            }
        }
    }
}
