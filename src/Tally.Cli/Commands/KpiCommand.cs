using System.CommandLine;
using Spectre.Console;
using Tally.Server.Query;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally kpi [NAME]</c>: every KPI of the plan, or one with its daily series and groups.
/// Example: tally kpi error_rate --plan plans/minimal-telemetry.yaml --from 2026-01-01 --to 2026-02-01
/// </summary>
public static class KpiCommand
{
    public static Command Build()
    {
        var common = new CommonOptions();
        var query = new QueryOptions();
        var name = new Argument<string?>("name") { Description = "One KPI, as the plan names it (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("kpi", "The plan's KPIs over a range; with a name, its series and groups too.\nExample: tally kpi shortlist_conversion_rate --plan plans/aurora-concierge.yaml");
        cmd.Arguments.Add(name);
        common.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction((parse, ct) => parse.GetValue(name) is { } one
            ? QueryVerb.RunAsync(parse, common, query, "kpi", QueryJson.Default.KpiResponse, (s, range, token) => s.KpiAsync(one, range, token), RenderOne, ct)
            : QueryVerb.RunAsync(parse, common, query, "kpi", QueryJson.Default.KpiListResponse, (s, range, token) => s.KpisAsync(range, token), RenderAll, ct));
        return cmd;
    }

    private static void RenderAll(IAnsiConsole console, KpiListResponse list)
    {
        console.MarkupLine($"[bold]KPIs[/] {QueryVerb.Range(list.From, list.To)}");
        var table = QueryVerb.Table("kpi", "kind", "value", "numerator", "denominator");
        foreach (var k in list.Kpis)
            table.AddRow(Markup.Escape(k.Name), k.Kind, Value(k), k.Numerator?.ToString() ?? "–", k.Denominator?.ToString() ?? "–");
        console.Write(table);
    }

    private static void RenderOne(IAnsiConsole console, KpiResponse k)
    {
        console.MarkupLine($"[bold]{Markup.Escape(k.Name)}[/] ({k.Kind}, by {k.Unit}) {(k.From is { } f && k.To is { } t ? QueryVerb.Range(f, t) : "")}");
        if (k.Description is not null) console.MarkupLine(Markup.Escape(k.Description));
        console.MarkupLine($"value [bold]{Value(k)}[/]" + (k.Numerator is not null || k.Denominator is not null ? $" ({k.Numerator?.ToString() ?? "–"} / {k.Denominator?.ToString() ?? "–"})" : ""));
        if (k.Note is not null) console.MarkupLine($"[grey]{Markup.Escape(k.Note)}[/]");
        var series = QueryVerb.Table("period", "value");
        foreach (var p in k.Series) series.AddRow(p.T, Ratio(k.Kind) ? QueryVerb.Percent(p.Value) : QueryVerb.Number(p.Value));
        console.Write(series);
        if (k.Groups.Count > 0)
        {
            var groups = QueryVerb.Table("group", "value", "numerator", "denominator");
            foreach (var g in k.Groups)
                groups.AddRow(Markup.Escape(g.Key), Ratio(k.Kind) ? QueryVerb.Percent(g.Value) : QueryVerb.Number(g.Value), g.Numerator?.ToString() ?? "–", g.Denominator?.ToString() ?? "–");
            console.Write(groups);
        }
    }

    private static bool Ratio(string kind) => kind is "ratio" or "rate_by" or "conversion_within";

    private static string Value(KpiResponse k) => Ratio(k.Kind) ? QueryVerb.Percent(k.Value) : QueryVerb.Number(k.Value);
}
