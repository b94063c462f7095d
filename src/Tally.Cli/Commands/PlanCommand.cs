using System.CommandLine;

namespace Tally.Cli.Commands;

/// <summary><c>tally plan …</c>: verbs that work on plan files (lint, diff).</summary>
public static class PlanCommand
{
    public static Command Build()
    {
        var plan = new Command("plan", "Work with tracking-plan files.");
        plan.Subcommands.Add(PlanLintCommand.Build());
        plan.Subcommands.Add(PlanDiffCommand.Build());
        return plan;
    }
}
