namespace Tally.Core.Plans.Linting;

/// <summary>
/// A name declared twice where it must be unique. Duplicate YAML keys are caught by the loader as it reads (same code);
/// this rule covers plans built in code and a property listed twice in, or in both, an event's required and optional lists.
/// </summary>
public sealed class DuplicateNameRule : ILintRule
{
    public string Code => "duplicate-name";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var found = new List<Diagnostic>();
        Unique(found, "event", plan.Events, e => e.Name, e => e.Location);
        Unique(found, "category", plan.Categories, c => c.Name, c => c.Location);
        Unique(found, "funnel", plan.Funnels, f => f.Name, f => f.Location);
        Unique(found, "KPI", plan.Kpis, k => k.Name, k => k.Location);
        Unique(found, "journey", plan.Journeys, j => j.Name, j => j.Location);
        Unique(found, "attribution", plan.Attributions, a => a.Name, a => a.Location);
        Properties(found, plan.Properties);
        foreach (var e in plan.Events)
        {
            Properties(found, e.Properties);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in e.Required)
                if (!seen.Add(name)) found.Add(Diagnostic.Error(Code, $"event '{e.Name}' lists '{name}' twice in required", e.Location));
            var required = seen;
            seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in e.Optional)
            {
                if (required.Contains(name))
                    found.Add(Diagnostic.Error(Code, $"event '{e.Name}' lists '{name}' as both required and optional", e.Location));
                else if (!seen.Add(name))
                    found.Add(Diagnostic.Error(Code, $"event '{e.Name}' lists '{name}' twice in optional", e.Location));
            }
        }
        return found;
    }

    private void Properties(List<Diagnostic> found, IReadOnlyList<PropertyDefinition> properties)
    {
        Unique(found, "property", properties, p => p.Name, p => p.Location);
        foreach (var p in properties)
        {
            Properties(found, p.Properties);
            if (p.Items is { } items) Properties(found, items.Properties);
        }
    }

    private void Unique<T>(List<Diagnostic> found, string kind, IEnumerable<T> items, Func<T, string> name, Func<T, SourceLocation> at)
    {
        var first = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var n = name(item);
            if (first.TryGetValue(n, out var where))
                found.Add(Diagnostic.Error(Code, $"{kind} '{n}' is declared twice (first at line {where.Line})", at(item)));
            else
                first[n] = at(item);
        }
    }
}
