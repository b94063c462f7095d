using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Pipeline;

/// <summary>
/// Checks one mapped event against its definition: every required property present and non-null, every value of
/// its declared type and within its constraints. Undeclared properties are reported to the caller, which applies
/// the plan's undeclared-data policy. Collects every violation rather than stopping at the first.
/// </summary>
public sealed class PlanValidator(TrackingPlan plan)
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    public TrackingPlan Plan { get; } = plan;
    private readonly PropertyIndex _properties = PropertyIndex.Of(plan);

    public void Validate(MappedEvent e, EventDefinition def, List<Violation> violations, List<string> undeclared)
    {
        // By index: a foreach over the IReadOnlyList boxed its enumerator for every event.
        var required = def.Required;
        for (var r = 0; r < required.Count; r++)
        {
            var name = required[r];
            if (!e.Properties.TryGetValue(name, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                violations.Add(new Violation(ViolationCodes.MissingProperty, $"required property '{name}' is missing", name));
        }
        foreach (var (name, value) in e.Properties)
        {
            if (!_properties.TryDeclared(def, name, out var pd))
            {
                undeclared.Add(name);
                continue;
            }
            if (e.AlreadyTransformed?.Contains(name) == true) continue;
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (pd is null) continue; // the linter reports declared-but-undefined; accept rather than lose data
            CheckValue(pd, value, name, violations, undeclared);
        }
    }

    private static void CheckValue(PropertyDefinition pd, JsonElement v, string path, List<Violation> violations, List<string> undeclared)
    {
        switch (pd.Type)
        {
            case PropertyType.String:
                if (v.ValueKind != JsonValueKind.String) { Wrong(pd, v, path, violations); return; }
                // Most strings have no constraint: nothing to decode.
                if (pd.MaxLength is not null || pd.Pattern is not null) CheckString(pd, v.GetString()!, path, violations);
                return;
            case PropertyType.Timestamp:
                if (v.ValueKind != JsonValueKind.String || !IsoTimestamp.TryParse(v.GetString(), out _))
                    violations.Add(new Violation(ViolationCodes.WrongType, $"'{path}' must be an ISO 8601 timestamp", path));
                return;
            case PropertyType.Enum:
                if (v.ValueKind != JsonValueKind.String) { Wrong(pd, v, path, violations); return; }
                // Compared where it lies (escapes included): the value is decoded only to name a miss.
                if (!IsOneOf(v, pd.Values))
                {
                    var s = v.GetString()!;
                    violations.Add(new Violation(ViolationCodes.EnumViolation, $"'{path}' must be one of {string.Join(", ", pd.Values)}{Suggest.Hint(s, pd.Values)}", path));
                }
                return;
            case PropertyType.Integer:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var l)) { Wrong(pd, v, path, violations); return; }
                CheckRange(pd, l, path, violations);
                return;
            case PropertyType.Number:
                if (v.ValueKind != JsonValueKind.Number) { Wrong(pd, v, path, violations); return; }
                CheckRange(pd, v.GetDouble(), path, violations);
                return;
            case PropertyType.Boolean:
                if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) Wrong(pd, v, path, violations);
                return;
            case PropertyType.Array:
                if (v.ValueKind != JsonValueKind.Array) { Wrong(pd, v, path, violations); return; }
                if (pd.Items is { } items)
                {
                    var i = 0;
                    foreach (var item in v.EnumerateArray())
                    {
                        // The item's path is built only when it has something to report: a string per item cost more
                        // than checking it. The check runs again with the path so the report names the item.
                        int violationsBefore = violations.Count, undeclaredBefore = undeclared.Count;
                        CheckValue(items, item, path, violations, undeclared);
                        if (violations.Count != violationsBefore || undeclared.Count != undeclaredBefore)
                        {
                            violations.RemoveRange(violationsBefore, violations.Count - violationsBefore);
                            undeclared.RemoveRange(undeclaredBefore, undeclared.Count - undeclaredBefore);
                            CheckValue(items, item, $"{path}[{i}]", violations, undeclared);
                        }
                        i++;
                    }
                }
                return;
            case PropertyType.Object:
                if (v.ValueKind != JsonValueKind.Object) { Wrong(pd, v, path, violations); return; }
                if (pd.OpenObject) return;
                foreach (var req in pd.RequiredProperties)
                    if (!v.TryGetProperty(req, out var rv) || rv.ValueKind == JsonValueKind.Null)
                        violations.Add(new Violation(ViolationCodes.MissingProperty, $"required field '{path}.{req}' is missing", $"{path}.{req}"));
                foreach (var f in v.EnumerateObject())
                {
                    var nested = pd.FindNested(f.Name);
                    if (nested is null) undeclared.Add($"{path}.{f.Name}");
                    else if (f.Value.ValueKind != JsonValueKind.Null) CheckValue(nested, f.Value, $"{path}.{f.Name}", violations, undeclared);
                }
                return;
        }
    }

    private static void CheckString(PropertyDefinition pd, string s, string path, List<Violation> violations)
    {
        if (pd.MaxLength is { } max && s.Length > max)
            violations.Add(new Violation(ViolationCodes.TooLong, $"'{path}' is {s.Length} characters, more than {max}", path));
        if (pd.Pattern is { } p && !Matches(p, s, out var timedOut))
            // The message never quotes the value: it may be personal data.
            violations.Add(new Violation(ViolationCodes.PatternViolation,
                timedOut ? $"'{path}' could not be checked against the pattern {p} in time" : $"'{path}' does not match the pattern {p}", path));
    }

    private static bool IsOneOf(JsonElement v, IReadOnlyList<string> values)
    {
        foreach (var value in values)
            if (v.ValueEquals(value)) return true;
        return false;
    }

    /// <summary>A pattern that backtracks too long fails the value instead of throwing out of the whole batch.</summary>
    private static bool Matches(string pattern, string s, out bool timedOut)
    {
        timedOut = false;
        try
        {
            return Patterns.GetOrAdd(pattern, x => new Regex(x, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50))).IsMatch(s);
        }
        catch (RegexMatchTimeoutException)
        {
            timedOut = true;
            return false;
        }
    }

    private static void CheckRange(PropertyDefinition pd, double d, string path, List<Violation> violations)
    {
        if (pd.Min is { } min && d < min) violations.Add(new Violation(ViolationCodes.RangeViolation, $"'{path}' is below the minimum {min.ToString(CultureInfo.InvariantCulture)}", path));
        if (pd.Max is { } max && d > max) violations.Add(new Violation(ViolationCodes.RangeViolation, $"'{path}' is above the maximum {max.ToString(CultureInfo.InvariantCulture)}", path));
    }

    private static void Wrong(PropertyDefinition pd, JsonElement v, string path, List<Violation> violations) =>
        violations.Add(new Violation(ViolationCodes.WrongType, $"'{path}' must be {Describe(pd.Type)}, not {Describe(v.ValueKind)}", path));

    private static string Describe(PropertyType t) => t switch
    {
        PropertyType.Integer => "an integer",
        PropertyType.Enum => "one of the enum's strings",
        PropertyType.Array => "an array",
        PropertyType.Object => "an object",
        _ => "a " + t.ToString().ToLowerInvariant(),
    };

    private static string Describe(JsonValueKind k) => k switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => k.ToString().ToLowerInvariant(),
    };
}
