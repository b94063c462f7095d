namespace Tally.Core.Plans.Linting;

/// <summary>
/// An event with no retention from itself, its category or the defaults would be kept forever by accident.
/// Aggregate-only events keep no raw rows, so they need none.
/// </summary>
public sealed class NoRetentionRule : ILintRule
{
    public string Code => "no-retention";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        foreach (var e in plan.Events)
        {
            if (e.AggregateOnly || plan.RetentionOf(e) is not null) continue;
            yield return Diagnostic.Error(Code,
                $"event '{e.Name}' has no retention; set 'retention' on the event, its category or under defaults (e.g. 180d, 2y, forever)", e.Location);
        }
    }
}
