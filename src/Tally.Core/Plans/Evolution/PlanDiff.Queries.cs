namespace Tally.Core.Plans.Evolution;

/// <summary>
/// Journeys, funnels, KPIs and attribution are queries over stored events, not schema: adding one is additive,
/// editing or removing one is neutral (nothing is rejected, no stored row changes), but reports change, so say so.
/// </summary>
public static partial class PlanDiff
{
    private const string QueryNote = "it is a query over stored events, not schema, so nothing is rejected; reports recomputed with it will differ from earlier ones";

    private static void CompareQueries(TrackingPlan old, TrackingPlan @new, ChangeList changes)
    {
        Compare("journey", old.Journeys, @new.Journeys, j => j.Name, j => j.Location, JourneyFields, changes);
        Compare("funnel", old.Funnels, @new.Funnels, f => f.Name, f => f.Location, FunnelFields, changes);
        Compare("kpi", old.Kpis, @new.Kpis, k => k.Name, k => k.Location, KpiFields, changes);
        Compare("attribution", old.Attributions, @new.Attributions, a => a.Name, a => a.Location, AttributionFields, changes);
    }

    private static void Compare<T>(string what, IReadOnlyList<T> old, IReadOnlyList<T> @new, Func<T, string> name, Func<T, SourceLocation> location,
        Func<T, IEnumerable<(string Field, string Value)>> fields, ChangeList changes)
    {
        var label = what == "kpi" ? "KPI" : what;
        var oldByName = old.ToDictionary(name, StringComparer.Ordinal);
        var newNames = @new.Select(name).ToHashSet(StringComparer.Ordinal);
        foreach (var n in @new)
        {
            var subject = $"{label} {name(n)}";
            if (!oldByName.TryGetValue(name(n), out var o))
            {
                changes.Additive($"{what}-added", subject, $"new {label}", location(n));
                continue;
            }
            var before = fields(o).ToList();
            var after = fields(n).ToList();
            var changed = after.Where(f => !before.Contains(f)).Select(f => f.Field)
                .Concat(before.Where(f => !after.Contains(f)).Select(f => f.Field))
                .Distinct().ToList();
            if (changed.Count > 0)
                changes.Neutral($"{what}-changed", subject, $"{string.Join(", ", changed)} changed; {QueryNote}", location(n));
        }
        foreach (var o in old.Where(o => !newNames.Contains(name(o))))
            changes.Neutral($"{what}-removed", $"{label} {name(o)}", "removed; dashboards that show it lose it, stored events are untouched", location(o));
    }

    // Each definition as (field, canonical text) pairs, so a change can be named without comparing locations.

    private static IEnumerable<(string, string)> JourneyFields(JourneyDefinition j) =>
    [
        ("description", j.Description ?? ""),
        ("steps", Steps(j.Steps)),
        ("window", PlanDuration.Format(j.Window)),
        ("unit", j.Unit.ToString()),
    ];

    private static IEnumerable<(string, string)> FunnelFields(FunnelDefinition f) =>
    [
        ("description", f.Description ?? ""),
        ("steps", Steps(f.Steps)),
        ("window", PlanDuration.Format(f.Window)),
        ("unit", f.Unit.ToString()),
        ("exclude", string.Join("; ", f.Exclusions.Select(x => $"{Text(x.Filter)} {x.AfterStep}-{x.BeforeStep}"))),
        ("breakdown_by", f.BreakdownBy ?? ""),
    ];

    private static IEnumerable<(string, string)> KpiFields(KpiDefinition k) =>
    [
        ("kind", k.Kind.ToString()),
        ("description", k.Description ?? ""),
        ("persona", k.Persona ?? ""),
        ("numerator", Text(k.Numerator)),
        ("denominator", Text(k.Denominator)),
        ("event", Text(k.Event)),
        ("start", Text(k.Start)),
        ("end", Text(k.End)),
        ("within", k.Within is { } w ? PlanDuration.Format(w) : ""),
        ("property", k.Property ?? ""),
        ("unit", k.Unit.ToString()),
        ("period", k.Period),
        ("group_by", string.Join(",", k.GroupBy)),
        ("note", k.Note ?? ""),
    ];

    private static IEnumerable<(string, string)> AttributionFields(AttributionDefinition a) =>
    [
        ("description", a.Description ?? ""),
        ("touch", Text(a.Touch)),
        ("credit", a.CreditProperty),
        ("conversions", string.Join("; ", a.Conversions.Select(Text))),
        ("window", PlanDuration.Format(a.Window)),
        ("scope", a.Scope.ToString()),
    ];

    private static string Steps(IReadOnlyList<StepDefinition> steps) =>
        string.Join(" > ", steps.Select(s => $"{Text(s.Filter)}{(s.Optional ? "?" : "")}{(s.Condition is null ? "" : $"[{s.Condition}]")}"));

    /// <summary>A filter with its conditions in a fixed order, so reordering the where-clause is not a change.</summary>
    private static string Text(EventFilter? f) =>
        f is null ? "" : $"{f.Event}({string.Join(",", f.Where.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key}={w.Value}"))})";
}
