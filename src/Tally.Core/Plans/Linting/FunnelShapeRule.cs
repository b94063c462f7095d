namespace Tally.Core.Plans.Linting;

/// <summary>
/// A funnel needs at least two steps and exclusions that sit between two of them; a journey needs steps and must
/// start with a step that always happens, or there is nothing to anchor it to.
/// </summary>
public sealed class FunnelShapeRule : ILintRule
{
    public string Code => "funnel-shape";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        foreach (var f in plan.Funnels)
        {
            if (f.Steps.Count < 2)
                yield return Diagnostic.Error(Code, $"funnel '{f.Name}' has {f.Steps.Count} step{(f.Steps.Count == 1 ? "" : "s")}; a funnel needs at least 2", f.Location);
            foreach (var x in f.Exclusions)
            {
                if (x.AfterStep >= x.BeforeStep)
                    yield return Diagnostic.Error(Code,
                        $"funnel '{f.Name}': exclusion of '{x.Filter.Event}' has after_step {x.AfterStep} not before before_step {x.BeforeStep}", x.Filter.Location);
                else if (x.AfterStep < 1 || x.BeforeStep > f.Steps.Count)
                    yield return Diagnostic.Error(Code,
                        $"funnel '{f.Name}': exclusion of '{x.Filter.Event}' between steps {x.AfterStep} and {x.BeforeStep} is outside its steps 1..{f.Steps.Count}", x.Filter.Location);
            }
        }
        foreach (var j in plan.Journeys)
        {
            if (j.Steps.Count == 0)
                yield return Diagnostic.Error(Code, $"journey '{j.Name}' has no steps", j.Location);
            else if (j.Steps[0].Optional)
                yield return Diagnostic.Error(Code, $"journey '{j.Name}': its first step '{j.Steps[0].Event}' is optional; a journey must start with a step that always happens", j.Steps[0].Location);
        }
    }
}
