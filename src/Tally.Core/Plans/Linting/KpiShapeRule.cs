namespace Tally.Core.Plans.Linting;

/// <summary>
/// A KPI lacks a field its kind needs (a ratio without a denominator, a median without a numeric property), has an
/// unknown period, or sets a field its kind ignores, which usually means the wrong kind was chosen.
/// </summary>
public sealed class KpiShapeRule : ILintRule
{
    public string Code => "kpi-shape";

    private static readonly string[] Periods = ["day", "week", "month"];

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var found = new List<Diagnostic>();
        foreach (var k in plan.Kpis)
        {
            var kind = KindName(k.Kind);
            var needs = Needs(k.Kind);
            var missing = needs.Where(n => !Has(k, n)).ToList();
            if (missing.Count > 0)
                found.Add(Diagnostic.Error(Code, $"KPI '{k.Name}' ({kind}) needs {string.Join(", ", missing.Select(m => $"'{m}'"))}", k.Location));
            var ignored = new[] { "numerator", "denominator", "event", "start", "end", "within", "property" }
                .Where(f => Has(k, f) && !needs.Contains(f)).ToList();
            if (ignored.Count > 0)
                found.Add(Diagnostic.Warning(Code, $"KPI '{k.Name}' ({kind}) ignores {string.Join(", ", ignored.Select(m => $"'{m}'"))}", k.Location));
            if (!Periods.Contains(k.Period))
                found.Add(Diagnostic.Error(Code, $"KPI '{k.Name}': period '{k.Period}' is not one of day, week, month{Suggest.Hint(k.Period, Periods)}", k.Location));
            if (k.Kind is KpiKind.AverageChange or KpiKind.Median && k.Property is { Length: > 0 } p && k.Event is { } e
                && plan.FindEvent(e.Event) is { } evt
                && PropertyLookup.Resolve(plan, evt, p).Definition is { Type: not (PropertyType.Integer or PropertyType.Number) } def)
                found.Add(Diagnostic.Error(Code, $"KPI '{k.Name}' ({kind}) needs a numeric property, but '{p}' is {def.Type.ToString().ToLowerInvariant()}", k.Location));
        }
        return found;
    }

    private static string[] Needs(KpiKind kind) => kind switch
    {
        KpiKind.Ratio => ["numerator", "denominator"],
        KpiKind.RateBy => ["numerator", "denominator", "group_by"],
        KpiKind.CountPerDay or KpiKind.DistinctActors => ["event"],
        KpiKind.ConversionWithin => ["start", "end", "within"],
        KpiKind.AverageChange or KpiKind.Median => ["event", "property"],
        _ => [],
    };

    private static bool Has(KpiDefinition k, string field) => field switch
    {
        "numerator" => k.Numerator is not null,
        "denominator" => k.Denominator is not null,
        "event" => k.Event is not null,
        "start" => k.Start is not null,
        "end" => k.End is not null,
        "within" => k.Within is not null,
        "property" => !string.IsNullOrEmpty(k.Property),
        "group_by" => k.GroupBy.Count > 0,
        _ => false,
    };

    private static string KindName(KpiKind kind) => kind switch
    {
        KpiKind.Ratio => "ratio",
        KpiKind.CountPerDay => "count_per_day",
        KpiKind.DistinctActors => "distinct_actors",
        KpiKind.ConversionWithin => "conversion_within",
        KpiKind.AverageChange => "average_change",
        KpiKind.RateBy => "rate_by",
        _ => "median",
    };
}
