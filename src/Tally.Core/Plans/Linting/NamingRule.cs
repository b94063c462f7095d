using System.Text.RegularExpressions;

namespace Tally.Core.Plans.Linting;

/// <summary>
/// Event names follow the plan's <c>naming</c> section: style, extra pattern, prefixes and a minimum word count.
/// Property names are not checked: plans inherit them from existing payloads (seed 000's camelCase <c>sessionId</c>).
/// </summary>
public sealed partial class NamingRule : ILintRule
{
    public string Code => "naming";

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]
    private static partial Regex DotCase();

    [GeneratedRegex(@"_v\d+$")]
    private static partial Regex VersionSuffix();

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var rules = plan.Naming;
        Regex? pattern = null;
        if (rules.Pattern is { Length: > 0 } text)
        {
            try
            {
                pattern = new Regex(text, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                return [Diagnostic.Error(Code, $"naming pattern is not a valid regular expression: {e.Message}", rules.Location)];
            }
        }
        var found = new List<Diagnostic>();
        foreach (var e in plan.Events)
        {
            var name = e.Name;
            switch (rules.Style)
            {
                case NamingStyle.SnakeCase when !SnakeCase().IsMatch(name):
                    found.Add(Diagnostic.Error(Code, $"event '{name}' is not lower snake_case (e.g. object_action)", e.Location));
                    break;
                case NamingStyle.DotCase when !DotCase().IsMatch(name):
                    found.Add(Diagnostic.Error(Code, $"event '{name}' is not category.action (lower snake_case on each side of one dot)", e.Location));
                    break;
            }
            if (pattern is not null && !pattern.IsMatch(name))
                found.Add(Diagnostic.Error(Code, $"event '{name}' does not match the naming pattern '{rules.Pattern}'", e.Location));
            var prefix = RecognisedPrefix(name, rules.Prefixes);
            if (rules.PrefixRequired && rules.Prefixes.Count > 0 && prefix is null)
                found.Add(Diagnostic.Error(Code, $"event '{name}' must start with one of: {string.Join(", ", rules.Prefixes)}", e.Location));
            if (rules.MinWords > 0)
            {
                var core = VersionSuffix().Replace(prefix is null ? name : name[prefix.Length..].TrimStart('_', '.'), "");
                var words = core.Split(['_', '.'], StringSplitOptions.RemoveEmptyEntries).Length;
                if (words < rules.MinWords)
                    found.Add(Diagnostic.Error(Code,
                        $"event '{name}' has {words} word{(words == 1 ? "" : "s")}{(prefix is null ? "" : $" after its prefix '{prefix}'")}; the plan asks for at least {rules.MinWords} (object_action)",
                        e.Location));
            }
        }
        return found;
    }

    /// <summary>The longest listed prefix the name starts with, as a whole word: <c>student</c> matches <c>student_x</c> but not <c>students_x</c>.</summary>
    private static string? RecognisedPrefix(string name, IReadOnlyList<string> prefixes)
    {
        string? best = null;
        foreach (var p in prefixes)
        {
            if (p.Length == 0) continue;
            var whole = p[^1] is '_' or '.'
                ? name.Length > p.Length && name.StartsWith(p, StringComparison.Ordinal)
                : name.Length > p.Length + 1 && name.StartsWith(p, StringComparison.Ordinal) && name[p.Length] is '_' or '.';
            if (whole && (best is null || p.Length > best.Length)) best = p;
        }
        return best;
    }
}
