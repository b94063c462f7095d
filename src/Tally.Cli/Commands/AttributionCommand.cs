using System.CommandLine;
using Spectre.Console;
using Tally.Server.Query;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally attribution NAME</c>: last-touch attribution of a plan rule, conversions per credited value.
/// Example: tally attribution intent_credit --plan plans/aurora-concierge.yaml --from 2026-01-01
/// </summary>
public static class AttributionCommand
{
    public static Command Build()
    {
        var common = new CommonOptions();
        var query = new QueryOptions();
        var name = new Argument<string>("name") { Description = "The attribution rule, as the plan names it." };
        var cmd = new Command("attribution", "Last-touch attribution: conversions per credited touch value.\nExample: tally attribution intent_credit --plan plans/aurora-concierge.yaml --from 2026-01-01");
        cmd.Arguments.Add(name);
        common.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction((parse, ct) => QueryVerb.RunAsync(parse, common, query, "attribution", QueryJson.Default.AttributionResponse,
            (s, range, token) => s.AttributionAsync(parse.GetValue(name)!, range, token), Render, ct));
        return cmd;
    }

    private static void Render(IAnsiConsole console, AttributionResponse a)
    {
        console.MarkupLine($"[bold]attribution {Markup.Escape(a.Name)}[/]: last {Markup.Escape(a.Touch)} by {Markup.Escape(a.CreditProperty)}, per {a.Scope}, window {a.Window}, {QueryVerb.Range(a.From, a.To)}");
        console.MarkupLine($"{QueryVerb.Count(a.Conversions)} conversions, {QueryVerb.Count(a.Attributed)} attributed, {QueryVerb.Count(a.Unattributed)} unattributed");
        var credits = QueryVerb.Table(a.CreditProperty, "conversions", "share");
        foreach (var c in a.Credits)
            credits.AddRow(Markup.Escape(c.Value), QueryVerb.Count(c.Conversions), QueryVerb.Percent(a.Conversions == 0 ? null : (double)c.Conversions / a.Conversions));
        console.Write(credits);
        var byConversion = QueryVerb.Table("conversion", "conversions", "attributed", "top credit");
        foreach (var b in a.ByConversionEvent)
            byConversion.AddRow(Markup.Escape(b.Conversion), QueryVerb.Count(b.Conversions), QueryVerb.Count(b.Attributed), Markup.Escape(b.Credits.FirstOrDefault()?.Value ?? "–"));
        console.Write(byConversion);
    }
}
