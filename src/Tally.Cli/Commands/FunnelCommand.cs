using System.CommandLine;
using Spectre.Console;
using Tally.Server.Query;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally funnel NAME</c>: a funnel of the plan over a range, per step the actors who reached it, conversions and
/// the median time from the previous step. Example: tally funnel product_engagement --plan plans/aurora-concierge.yaml --from 2026-01-01
/// </summary>
public static class FunnelCommand
{
    public static Command Build()
    {
        var common = new CommonOptions();
        var query = new QueryOptions();
        var name = new Argument<string>("name") { Description = "The funnel, as the plan names it." };
        var cmd = new Command("funnel", "A funnel of the plan: actors per step, conversions, median time between steps.\nExample: tally funnel product_engagement --plan plans/aurora-concierge.yaml --from 2026-01-01 --to 2026-01-08");
        cmd.Arguments.Add(name);
        common.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction((parse, ct) => QueryVerb.RunAsync(parse, common, query, "funnel", QueryJson.Default.FunnelResponse,
            (s, range, token) => s.FunnelAsync(parse.GetValue(name)!, range, token), Render, ct));
        return cmd;
    }

    public static void Render(IAnsiConsole console, FunnelResponse f)
    {
        console.MarkupLine($"[bold]funnel {Markup.Escape(f.Funnel ?? "(ad hoc)")}[/] by {f.Unit}, window {f.Window}, {QueryVerb.Range(f.From, f.To)}");
        var table = QueryVerb.Table("step", "actors", "from previous", "from first", "median from previous");
        foreach (var s in f.Steps)
            table.AddRow(Markup.Escape(s.Filter), QueryVerb.Count(s.Actors), QueryVerb.Percent(s.ConversionFromPrevious), QueryVerb.Percent(s.ConversionFromFirst), QueryVerb.Seconds(s.MedianSecondsFromPrevious));
        console.Write(table);
        if (f.Breakdown.Count > 0)
        {
            var columns = new[] { f.BreakdownBy ?? "value" }.Concat(f.Steps.Select((s, i) => $"{i + 1}. {s.Event}")).Append("overall").ToArray();
            var breakdown = QueryVerb.Table(columns);
            foreach (var row in f.Breakdown)
                breakdown.AddRow([Markup.Escape(row.Value), .. row.Steps.Select(s => QueryVerb.Count(s.Actors)), QueryVerb.Percent(row.Steps[^1].ConversionFromFirst)]);
            console.Write(breakdown);
        }
        if (f.Excluded > 0) console.MarkupLine($"{QueryVerb.Count(f.Excluded)} actors left out by exclusions");
        if (f.CompletesAfterRangeEnd > 0) console.MarkupLine($"[grey]{QueryVerb.Count(f.CompletesAfterRangeEnd)} actors reached their last step after the range end[/]");
    }
}
