namespace Tally.Core.Plans.Linting;

/// <summary>
/// <c>archive_after</c> at or beyond the retention is never reached: rows are deleted first. Reported once where the
/// pair is written (event, category or defaults), not once per event that inherits it.
/// </summary>
public sealed class ArchiveAfterRetentionRule : ILintRule
{
    public string Code => "archive-after-retention";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var reported = new HashSet<SourceLocation>();
        foreach (var e in plan.Events)
        {
            if (plan.RetentionOf(e) is not { } retention || plan.ArchiveAfterOf(e) is not { } archive) continue;
            if (archive < retention || retention == PlanDuration.Forever) continue;
            var category = plan.FindCategory(e.Category);
            var (owner, at) = e.Retention is not null || e.ArchiveAfter is not null ? ($"event '{e.Name}'", e.Location)
                : category is not null && (category.Retention is not null || category.ArchiveAfter is not null) ? ($"category '{category.Name}'", category.Location)
                : ("defaults", plan.Defaults.Location);
            if (!reported.Add(at)) continue;
            yield return Diagnostic.Warning(Code,
                $"{owner}: archive_after ({Format(archive)}) is not shorter than retention ({Format(retention)}), so nothing is ever archived", at);
        }
    }

    internal static string Format(TimeSpan t) =>
        t == PlanDuration.Forever ? "forever"
        : t.TotalDays >= 1 && t.TotalDays % 1 == 0 ? $"{t.TotalDays:0}d"
        : t.TotalHours >= 1 && t.TotalHours % 1 == 0 ? $"{t.TotalHours:0}h"
        : $"{t.TotalMinutes:0.##}m";
}
