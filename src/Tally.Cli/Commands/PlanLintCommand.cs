using System.CommandLine;
using System.Text.Json;
using Tally.Core.Plans;
using Tally.Core.Plans.Linting;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally plan lint PLAN... [--format text|json]</c>: loads each plan, lints it, prints one line per finding
/// (<c>file:line:column: error: message [code]</c>) on stdout and a count on stderr. Exits 1 if any finding is an error,
/// so it can gate a CI job.
/// </summary>
public static class PlanLintCommand
{
    public static Command Build()
    {
        var plans = new Argument<string[]>("plan")
        {
            Description = "Plan files (YAML) to check.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format: text (one line per finding) or json (an array of findings).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var lint = new Command("lint", "Check tracking plans for broken references, unprotected personal data, missing retention and more.\n\nExample:\n  tally plan lint plans/*.yaml --format json")
        {
            plans,
            format,
        };
        lint.SetAction(parse => Run(
            parse.GetValue(plans) ?? [],
            parse.GetValue(format) ?? "text",
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return lint;
    }

    /// <summary>Lints <paramref name="files"/> and writes the report; returns the exit code (1 when any error was found).</summary>
    public static int Run(IReadOnlyList<string> files, string format, TextWriter output, TextWriter error)
    {
        // `plans/*.yaml` also matches the demo's traffic profiles (NAME.traffic.yaml, docs/demo.md): they are not plans.
        var profiles = files.Where(f => f.EndsWith(".traffic.yaml", StringComparison.OrdinalIgnoreCase)).ToList();
        files = [.. files.Except(profiles)];
        var findings = new List<Diagnostic>();
        foreach (var file in files)
        {
            var loaded = PlanLoader.LoadFile(file);
            var all = loaded.Plan is { } plan ? loaded.Diagnostics.Concat(PlanLinter.Default.Lint(plan)) : loaded.Diagnostics;
            findings.AddRange(all.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column));
        }

        if (format == "json")
        {
            var rows = findings.Select(d => new LintFinding(d.Location.File, d.Location.Line, d.Location.Column,
                d.Severity == Severity.Error ? "error" : "warning", d.Code, d.Message)).ToList();
            output.WriteLine(JsonSerializer.Serialize(rows, LintJsonContext.Readable.ListLintFinding));
        }
        else
        {
            foreach (var d in findings) output.WriteLine(d.ToString());
        }

        var errors = findings.Count(d => d.Severity == Severity.Error);
        var warnings = findings.Count - errors;
        error.WriteLine($"{Count(errors, "error")}, {Count(warnings, "warning")} in {Count(files.Count, "plan")}"
            + (profiles.Count > 0 ? $" ({Count(profiles.Count, "traffic profile")} skipped)" : ""));
        return errors > 0 ? 1 : 0;
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
