using System.CommandLine;
using Spectre.Console;
using Tally.Server.Query;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally counts [--event E] [--granularity day|hour]</c>: occurrences per UTC day or hour, of one event or all.
/// Example: tally counts --event aurora_widget_open --granularity hour --plan plans/aurora-concierge.yaml
/// </summary>
public static class CountsCommand
{
    public static Command Build()
    {
        var common = new CommonOptions();
        var query = new QueryOptions();
        var eventName = new Option<string?>("--event") { Description = "The event to count (default: every event)." };
        var granularity = new Option<string>("--granularity") { Description = "day or hour.", DefaultValueFactory = _ => "day" };
        granularity.AcceptOnlyFromAmong("day", "hour");
        var cmd = new Command("counts", "Occurrences per UTC day or hour.\nExample: tally counts --event aurora_widget_open --granularity hour --plan plans/aurora-concierge.yaml");
        cmd.Options.Add(eventName);
        cmd.Options.Add(granularity);
        common.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction((parse, ct) => QueryVerb.RunAsync(parse, common, query, "counts", QueryJson.Default.CountsResponse,
            (s, range, token) => s.CountsAsync(parse.GetValue(eventName), parse.GetValue(granularity), range, token), Render, ct));
        return cmd;
    }

    private static void Render(IAnsiConsole console, CountsResponse c)
    {
        console.MarkupLine($"[bold]{Markup.Escape(c.Event ?? "all events")}[/] per {c.Granularity}, {QueryVerb.Range(c.From, c.To)}: {QueryVerb.Count(c.Total)}");
        var table = QueryVerb.Table(c.Granularity, "count");
        foreach (var p in c.Series) table.AddRow(p.T, QueryVerb.Count(p.Count));
        console.Write(table);
    }
}
