namespace Tally.Core.Plans.Linting;

/// <summary>A funnel, journey, KPI, attribution or identity setting names an event the plan does not declare.</summary>
public sealed class UnknownEventRule : ILintRule
{
    public string Code => "unknown-event";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var names = plan.Events.Select(e => e.Name).ToList();
        foreach (var use in PlanReferences.Events(plan))
        {
            var name = use.Filter.Event;
            // An empty name is a missing key, which the loader has already reported.
            if (name.Length == 0) continue;
            if (name == EventFilter.AnyEvent)
            {
                if (!use.AnyAllowed)
                    yield return Diagnostic.Error(Code, $"{use.UsedBy}: '*' (any event) is not allowed here; name one event", use.Filter.Location);
                continue;
            }
            if (plan.FindEvent(name) is null)
                yield return Diagnostic.Error(Code, $"{use.UsedBy}: event '{name}' is not declared{Suggest.Hint(name, names)}", use.Filter.Location);
        }
    }
}
