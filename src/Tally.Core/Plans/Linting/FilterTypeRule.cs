using System.Globalization;
using System.Text.RegularExpressions;

namespace Tally.Core.Plans.Linting;

/// <summary>
/// A <c>where</c> value the property can never hold: <c>rating=great</c> on a number, <c>yes</c> on a boolean, a value
/// outside an enum, min/max or pattern, or any comparison with an array or object. Such a step or KPI is always empty.
/// </summary>
public sealed class FilterTypeRule : ILintRule
{
    public string Code => "filter-type";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        foreach (var use in PlanReferences.Events(plan))
        {
            var f = use.Filter;
            if (f.Where.Count == 0) continue;
            EventDefinition? evt = null;
            if (f.Event != EventFilter.AnyEvent && (evt = plan.FindEvent(f.Event)) is null) continue;
            foreach (var (key, value) in f.Where)
            {
                if (PropertyLookup.Resolve(plan, evt, key).Definition is not { } def) continue;
                if (Problem(def, key, value) is { } why)
                    yield return Diagnostic.Error(Code, $"{use.UsedBy}: {key}={value} can never match: {why}", f.Location);
            }
        }
    }

    private static string? Problem(PropertyDefinition def, string key, string value)
    {
        switch (def.Type)
        {
            case PropertyType.Integer:
                if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return $"'{key}' is an integer";
                return Range(def, key, l);
            case PropertyType.Number:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return $"'{key}' is a number";
                return Range(def, key, d);
            case PropertyType.Boolean:
                return value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)
                    ? null : $"'{key}' is a boolean (true or false)";
            case PropertyType.Enum:
                return def.Values.Count == 0 || def.Values.Contains(value) ? null
                    : $"'{key}' is one of {string.Join(", ", def.Values)}{Suggest.Hint(value, def.Values)}";
            case PropertyType.Array or PropertyType.Object:
                return $"'{key}' is an {def.Type.ToString().ToLowerInvariant()}, and filters compare single values";
            case PropertyType.String:
                if (def.MaxLength is { } max && value.Length > max) return $"'{key}' is at most {max} characters";
                if (def.Pattern is { } p && !Matches(p, value)) return $"'{key}' must match {p}";
                return null;
            default:
                return null;
        }
    }

    private static string? Range(PropertyDefinition def, string key, double v) =>
        def.Min is { } min && v < min ? $"'{key}' is at least {min.ToString(CultureInfo.InvariantCulture)}"
        : def.Max is { } max && v > max ? $"'{key}' is at most {max.ToString(CultureInfo.InvariantCulture)}"
        : null;

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return true; // The loader already reported the broken pattern.
        }
    }
}
