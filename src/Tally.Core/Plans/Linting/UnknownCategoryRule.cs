namespace Tally.Core.Plans.Linting;

/// <summary>An event names a category the plan does not declare, so it silently loses the category's retention.</summary>
public sealed class UnknownCategoryRule : ILintRule
{
    public string Code => "unknown-category";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var names = plan.Categories.Select(c => c.Name).ToList();
        foreach (var e in plan.Events)
        {
            if (e.Category is { Length: > 0 } c && plan.FindCategory(c) is null)
                yield return Diagnostic.Error(Code, $"event '{e.Name}': category '{c}' is not declared{Suggest.Hint(c, names)}", e.Location);
        }
    }
}
