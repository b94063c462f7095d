using System.CommandLine;
using System.Text.Json;
using Tally.Core.Plans;
using Tally.Core.Plans.Evolution;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally plan diff OLD NEW</c>: classifies every change between two versions of a plan.
/// Exit codes: 0 = no breaking change, 1 = at least one breaking change, 2 = a plan could not be read.
/// </summary>
public static class PlanDiffCommand
{
    public const int Ok = 0;
    public const int Breaking = 1;
    public const int Unreadable = 2;

    public static Command Build()
    {
        var oldPlan = new Argument<string>("old") { Description = "The plan as it was (e.g. the file from the main branch)." };
        var newPlan = new Argument<string>("new") { Description = "The plan as it is proposed." };
        var format = new Option<string>("--format")
        {
            Description = "Output format: text (one line per change) or json.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("diff",
            "Compare two versions of a tracking plan: each change is breaking, additive or a note. " +
            "Exit 0 when nothing breaks, 1 on any breaking change, 2 when a plan cannot be read. " +
            "Example: git show main:plans/aurora.yaml > /tmp/old.yaml && tally plan diff /tmp/old.yaml plans/aurora.yaml")
        {
            oldPlan,
            newPlan,
            format,
        };
        command.SetAction(parse => Run(parse.GetValue(oldPlan)!, parse.GetValue(newPlan)!, parse.GetValue(format) ?? "text", Console.Out));
        return command;
    }

    public static int Run(string oldPath, string newPath, string format, TextWriter output)
    {
        var json = format == "json";
        var oldResult = PlanLoader.LoadFile(oldPath);
        var newResult = PlanLoader.LoadFile(newPath);
        var errors = oldResult.Diagnostics.Concat(newResult.Diagnostics).Where(d => d.Severity == Severity.Error).ToList();
        if (oldResult.Plan is null || newResult.Plan is null || errors.Count > 0)
        {
            // A diff of a plan that did not load cleanly would classify what the loader guessed, not what was written.
            if (json)
            {
                Write(output, new PlanDiffReport(oldPath, newPath, [], errors.Select(ToJson).ToList(), new PlanDiffReport.Totals(0, 0, 0)));
            }
            else
            {
                foreach (var e in errors) output.WriteLine(e.ToString());
                output.WriteLine($"plan diff: cannot compare, {errors.Count} error{(errors.Count == 1 ? "" : "s")} in the plans");
            }
            return Unreadable;
        }

        var changes = PlanDiff.Compare(oldResult.Plan, newResult.Plan);
        var totals = new PlanDiffReport.Totals(
            changes.Count(c => c.Kind == ChangeKind.Breaking),
            changes.Count(c => c.Kind == ChangeKind.Additive),
            changes.Count(c => c.Kind == ChangeKind.Neutral));
        if (json)
        {
            Write(output, new PlanDiffReport(oldPath, newPath, changes.Select(ToJson).ToList(), [], totals));
        }
        else
        {
            foreach (var c in changes) output.WriteLine(c.ToString());
            output.WriteLine(changes.Count == 0
                ? "plan diff: no changes"
                : $"plan diff: {totals.Breaking} breaking, {totals.Additive} additive, {totals.Notes} note{(totals.Notes == 1 ? "" : "s")}");
            if (totals.Breaking > 0) output.WriteLine($"plan diff: {Versioning.Rule}");
        }
        return totals.Breaking > 0 ? Breaking : Ok;
    }

    private static void Write(TextWriter output, PlanDiffReport report) =>
        output.WriteLine(JsonSerializer.Serialize(report, PlanDiffJsonContext.Readable.PlanDiffReport));

    private static PlanDiffReport.Change ToJson(PlanChange c) =>
        new(c.Label, c.Code, c.Subject, c.Message, c.Location.File, c.Location.Line, c.Location.Column);

    private static PlanDiffReport.Error ToJson(Diagnostic d) =>
        new(d.Code, d.Message, d.Location.File, d.Location.Line, d.Location.Column);
}
