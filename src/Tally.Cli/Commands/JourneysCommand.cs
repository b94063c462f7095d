using System.CommandLine;
using Spectre.Console;
using Tally.Server.Query;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally journeys [NAME]</c>: how many actors started and completed each journey of the plan, or one journey step by step.
/// Example: tally journeys find_my_ring --plan plans/aurora-concierge.yaml
/// </summary>
public static class JourneysCommand
{
    public static Command Build()
    {
        var common = new CommonOptions();
        var query = new QueryOptions();
        var name = new Argument<string?>("name") { Description = "One journey, as the plan names it (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("journeys", "The plan's journeys: started and completed; with a name, every step.\nExample: tally journeys find_my_ring --plan plans/aurora-concierge.yaml --from 2026-01-01");
        cmd.Arguments.Add(name);
        common.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction((parse, ct) => parse.GetValue(name) is { } one
            ? QueryVerb.RunAsync(parse, common, query, "journeys", QueryJson.Default.JourneyResponse, (s, range, token) => s.JourneyAsync(one, range, token), RenderOne, ct)
            : QueryVerb.RunAsync(parse, common, query, "journeys", QueryJson.Default.JourneyListResponse, (s, range, token) => s.JourneysAsync(range, token), RenderAll, ct));
        return cmd;
    }

    private static void RenderAll(IAnsiConsole console, JourneyListResponse list)
    {
        console.MarkupLine($"[bold]journeys[/] {QueryVerb.Range(list.From, list.To)}");
        var table = QueryVerb.Table("journey", "started", "completed", "completion");
        foreach (var j in list.Journeys)
            table.AddRow(Markup.Escape(j.Name), QueryVerb.Count(j.Started), QueryVerb.Count(j.Completed), QueryVerb.Percent(j.Started == 0 ? null : (double)j.Completed / j.Started));
        console.Write(table);
    }

    private static void RenderOne(IAnsiConsole console, JourneyResponse j)
    {
        console.MarkupLine($"[bold]journey {Markup.Escape(j.Name)}[/] by {j.Unit}, window {j.Window} {(j.From is { } f && j.To is { } t ? QueryVerb.Range(f, t) : "")}");
        var table = QueryVerb.Table("step", "reached", "of started");
        foreach (var s in j.Steps)
            table.AddRow(Markup.Escape(s.Event) + (s.Optional ? " [grey](optional)[/]" : ""), QueryVerb.Count(s.Reached), QueryVerb.Percent(j.Started == 0 ? null : (double)s.Reached / j.Started));
        console.Write(table);
        console.MarkupLine($"{QueryVerb.Count(j.Completed)} of {QueryVerb.Count(j.Started)} completed every required step");
    }
}
