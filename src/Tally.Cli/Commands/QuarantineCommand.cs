using System.CommandLine;
using Spectre.Console;
using Tally.Core.Pipeline;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally quarantine list|replay</c>: see what failed the plan, grouped by reason, and re-run it after fixing the plan.
/// Example: tally quarantine replay --plan plans/aurora-concierge.yaml --data ./tally-data
/// </summary>
public static class QuarantineCommand
{
    public static Command Build()
    {
        var cmd = new Command("quarantine", "Inspect and replay events that failed the plan.");
        cmd.Subcommands.Add(BuildList());
        cmd.Subcommands.Add(BuildReplay());
        return cmd;
    }

    private static Command BuildList()
    {
        var common = new CommonOptions();
        var sample = new Option<int>("--sample") { Description = "Events shown per reason.", DefaultValueFactory = _ => 3 };
        var cmd = new Command("list", "Quarantined events grouped by reason.\nExample: tally quarantine list --plan plans/skillforge.yaml");
        common.AddTo(cmd);
        cmd.Options.Add(sample);
        cmd.SetAction(async (parse, ct) =>
        {
            if (await common.OpenAsync(parse) is not { } opened) return 1;
            await using var store = opened.Store;
            var groups = await store.QuarantineByReasonAsync(parse.GetValue(sample), ct);
            if (groups.Count == 0)
            {
                Console.WriteLine("quarantine is empty");
                return 0;
            }
            var table = new Table().AddColumn("reason").AddColumn(new TableColumn("events").RightAligned()).AddColumn("examples");
            foreach (var g in groups)
                table.AddRow(Markup.Escape(g.Reason), g.Count.ToString(), Markup.Escape(string.Join("\n", g.Sample.Select(s =>
                    $"{s.EventName ?? "(no name)"}: {string.Join("; ", s.Reasons.Where(r => r.Code == g.Reason).Select(r => r.Message))}"))));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command BuildReplay()
    {
        var common = new CommonOptions();
        var cmd = new Command("replay", "Re-run quarantined events through the current plan; move the ones that pass, never duplicating.\nExample: tally quarantine replay --plan plans/aurora-concierge.yaml");
        common.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            if (await common.OpenAsync(parse) is not { } opened) return 1;
            await using var store = opened.Store;
            var optOuts = new OptOutRegistry();
            foreach (var a in await store.ReadOptedOutAsync(ct)) optOuts.Set(a, true);
            var pipeline = new EventPipeline(opened.Plan, new PipelineOptions { HashSalt = Secrets.HashSalt(opened.DataDir) }, optOuts);
            var report = await new QuarantineReplay(pipeline, store).RunAsync(ct);
            Console.WriteLine($"examined {report.Examined}: {report.Stored} stored, {report.AlreadyStored} already stored, {report.Dropped} dropped, {report.StillFailing} still failing");
            foreach (var (reason, n) in report.StillFailingByReason.OrderByDescending(x => x.Value)) Console.WriteLine($"  {reason}: {n}");
            return 0;
        });
        return cmd;
    }
}
