using System.Globalization;
using Spectre.Console;
using Tally.Core.Analytics;
using Tally.Core.Demo;
using Tally.Core.Plans;

namespace Tally.Cli.Demo;

/// <summary>
/// Prints a demo run: what the collector did with the traffic, then every funnel, KPI, attribution and journey of the
/// plan as compact tables. Kept apart from the command so it can give way to the analytics verbs' printers.
/// </summary>
public sealed class DemoReport(IAnsiConsole console)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string N(long n) => n.ToString("N0", Inv);

    private static string Pct(double? v) => v is { } x ? (x * 100).ToString("0.0", Inv) + " %" : "–";

    private static string E(string s) => Markup.Escape(s);

    private static Table Compact() => new Table().Border(TableBorder.Minimal).BorderColor(Color.Grey);

    private void Section(string title) => console.Write(new Rule($"[bold]{E(title)}[/]").LeftJustified().RuleStyle("grey"));

    public void Header(TrackingPlan plan, int flows, long seed, string profilePath)
    {
        console.MarkupLine($"[bold]Tally demo[/]: plan [cyan]{E(plan.Name)}[/] {E(plan.Version)}, {N(flows)} flows, seed {seed.ToString(Inv)}");
        console.MarkupLine($"[grey]traffic profile {E(profilePath)}[/]");
    }

    public void Collector(Uri address, string endpoint, string store) =>
        console.MarkupLine($"[grey]collector on {E(address.ToString().TrimEnd('/'))}, POST {E(endpoint)}, store {E(store)}[/]");

    public void Summary(DemoSummary s)
    {
        console.WriteLine();
        Section("What the collector did");
        var t = Compact().HideHeaders().AddColumn("").AddColumn(new TableColumn("events").RightAligned()).AddColumn("");
        t.AddRow("sent", N(s.Sent), E($"{N(s.Requests)} requests to {s.Endpoint} in {s.SendTime.TotalSeconds.ToString("0.0", Inv)} s; {N(s.Invalid)} spoiled on purpose, {N(s.AfterOptOut)} after an opt-out"));
        t.AddRow("[green]accepted[/]", N(s.Accepted), "stored (or counted, for aggregate-only events)");
        t.AddRow("[yellow]quarantined[/]", N(s.Quarantined), E($"{Pct(s.Sent == 0 ? null : (double)s.Quarantined / s.Sent)} of sent; kept with every reason for a fix and replay"));
        foreach (var reason in new[] { "opt_out", "sampling" }.Concat(s.DroppedByReason.Keys.Where(k => k is not ("opt_out" or "sampling" or "duplicate"))).Distinct())
            t.AddRow($"dropped: {E(reason)}", N(s.DroppedByReason.GetValueOrDefault(reason)), reason switch
            {
                "opt_out" => E($"events of people who opted out ({N(s.OptOuts)} opt-outs recorded)"),
                "sampling" => "sessions left out by the plan's sampling rate",
                _ => "",
            });
        t.AddRow("duplicates", N(s.Duplicates), "retries of events already stored");
        console.Write(t);

        if (s.QuarantineGroups.Count > 0)
        {
            Section("Quarantine by reason (GET /v1/quarantine)");
            var q = Compact().AddColumn("reason").AddColumn(new TableColumn("events").RightAligned()).AddColumn("example");
            foreach (var g in s.QuarantineGroups)
            {
                var example = g.Sample.FirstOrDefault() is { } item
                    ? $"{item.EventName ?? "(no name)"}: {string.Join("; ", item.Reasons.Where(r => r.Code == g.Reason).Select(r => r.Message))}"
                    : "";
                q.AddRow(E(g.Reason), N(g.Count), E(example));
            }
            console.Write(q);
        }

        Section("Privacy");
        var p = Compact().HideHeaders().AddColumn("").AddColumn(new TableColumn("count").RightAligned()).AddColumn("");
        p.AddRow("events carrying raw personal data", N(s.WithPersonalData), "emails, phones, IPs, user agents, free text, planted on purpose");
        p.AddRow("SDK context fields removed", N(s.FieldsRemoved.GetValueOrDefault("personal_context")), "context.ip, context.userAgent, …: never stored");
        p.AddRow("properties removed", N(s.FieldsRemoved.GetValueOrDefault("undeclared_or_policy")), "undeclared by the plan, or dropped by its policy");
        var verdict = (s.PlantedInEvents.Count, s.PlantedInQuarantine.Count) switch
        {
            (0, 0) => "[green]none of them is in the store[/] [grey](hashed, shortened, anonymised or dropped)[/]",
            (0, var q) => $"[green]none in stored events[/]; [yellow]{N(q)} in quarantine as sent[/]",
            (var e, var q) => $"[red]{N(e)} in stored events[/] and {N(q)} in quarantine as sent",
        };
        p.AddRow("raw personal values sent", N(s.PlantedValues), verdict);
        console.Write(p);
        foreach (var value in s.PlantedInEvents.Order(StringComparer.Ordinal).Take(5))
            console.MarkupLine($"[red]  stored as sent: \"{E(value)}\"[/]");
        foreach (var value in s.PlantedInQuarantine.Order(StringComparer.Ordinal).Take(5))
            console.MarkupLine($"[yellow]  quarantined as sent: \"{E(value)}\"[/]");
    }

    public void Analytics(TrackingPlan plan, DemoResults results, bool aggregateOnly)
    {
        foreach (var failure in results.Failures) console.MarkupLine($"[red]{E(failure)}[/]");
        if (results.Funnels.Count > 0)
        {
            Section("Funnels");
            foreach (var f in results.Funnels) Funnel(plan.Funnels.First(d => d.Name == f.Name), f);
        }
        if (results.Kpis.Count > 0)
        {
            Section("KPIs");
            Kpis(plan, results.Kpis);
            if (aggregateOnly)
                console.MarkupLine("[grey]Aggregate-only events are read from the daily roll-ups (day, event, source, count and their declared properties, such as event_id): no raw event is kept.[/]");
        }
        if (results.Attributions.Count > 0)
        {
            Section("Attribution");
            foreach (var a in results.Attributions) Attribution(plan.Attributions.First(d => d.Name == a.Name), a);
        }
        if (results.Journeys.Count > 0)
        {
            Section("Journeys");
            foreach (var j in results.Journeys) Journey(plan.Journeys.First(d => d.Name == j.Name), j);
        }
    }

    private static string Unit(CountingUnit u) => u.ToString().ToLowerInvariant() + "s";

    private static string Seconds(double? s) => s switch
    {
        null => "",
        < 60 => $"{s.Value.ToString("0", Inv)}s",
        < 3600 => $"{Math.Floor(s.Value / 60).ToString("0", Inv)}m {(s.Value % 60).ToString("00", Inv)}s",
        _ => $"{Math.Floor(s.Value / 3600).ToString("0", Inv)}h {Math.Floor(s.Value % 3600 / 60).ToString("00", Inv)}m",
    };

    private void Funnel(FunnelDefinition def, NamedFunnelResult f)
    {
        console.MarkupLine($"[bold]{E(f.Name)}[/] [grey]({Unit(def.Unit)}, window {PlanDuration.Format(def.Window)})[/]");
        var t = Compact()
            .AddColumn("step").AddColumn(new TableColumn(Unit(def.Unit)).RightAligned())
            .AddColumn(new TableColumn("from previous").RightAligned()).AddColumn(new TableColumn("from first").RightAligned())
            .AddColumn(new TableColumn("median time").RightAligned());
        for (var i = 0; i < f.Result.Steps.Count; i++)
        {
            var s = f.Result.Steps[i];
            t.AddRow($"{i + 1}. {E(s.Filter)}", N(s.Actors), i == 0 ? "" : Pct(s.ConversionFromPrevious), i == 0 ? "" : Pct(s.ConversionFromFirst), Seconds(s.MedianSecondsFromPrevious));
        }
        console.Write(t);
        if (f.BreakdownBy is { } by && f.Result.Breakdown.Count > 0)
        {
            console.MarkupLine($"[grey]{E(f.Name)} by {E(by)}[/]");
            var b = Compact().AddColumn(E(by));
            foreach (var s in f.Result.Steps) b.AddColumn(new TableColumn(E(s.Event)).RightAligned());
            b.AddColumn(new TableColumn("conversion").RightAligned());
            foreach (var row in f.Result.Breakdown)
                b.AddRow([E(row.Value), .. row.Steps.Select(s => N(s.Actors)), Pct(row.Steps[^1].ConversionFromFirst)]);
            console.Write(b);
        }
    }

    private void Kpis(TrackingPlan plan, IReadOnlyList<KpiResult> kpis)
    {
        var t = Compact().AddColumn(new TableColumn("kpi").NoWrap()).AddColumn(new TableColumn("value").RightAligned().NoWrap()).AddColumn("detail");
        foreach (var k in kpis)
        {
            var def = plan.Kpis.First(d => d.Name == k.Name);
            var (value, detail) = Describe(def, k);
            var groups = TopGroups(def, k);
            t.AddRow(E(k.Name), E(value), E(detail) + (groups.Length > 0 ? "\n[grey]" + E(groups) + "[/]" : ""));
        }
        console.Write(t);
    }

    private static (string Value, string Detail) Describe(KpiDefinition def, KpiResult k)
    {
        string Num(double? v, string format) => v is { } x ? x.ToString(format, Inv) : "–";
        return def.Kind switch
        {
            KpiKind.Ratio or KpiKind.RateBy => (Pct(k.Value), $"{N(k.Numerator ?? 0)} {def.Numerator} / {N(k.Denominator ?? 0)} {def.Denominator}"),
            KpiKind.ConversionWithin => (Pct(k.Value), $"{N(k.Numerator ?? 0)} of {N(k.Denominator ?? 0)} {Unit(def.Unit)} did {def.End} within {PlanDuration.Format(def.Within ?? TimeSpan.Zero)} of {def.Start}"),
            KpiKind.CountPerDay => ($"{Num(k.Value, "#,0.#")} / day", $"{N(k.Numerator ?? 0)} {def.Event} over {N(k.Denominator ?? 0)} day(s)"),
            KpiKind.DistinctActors => ($"{Num(k.Value, "#,0.#")} / {def.Period}", $"distinct {Unit(def.Unit)} doing {def.Event}"),
            KpiKind.AverageChange => (Num(k.Value, "+0.##;-0.##;0"), $"change of {def.Property} over {N(k.Denominator ?? 0)} {Unit(def.Unit)} with 2+ values"),
            KpiKind.Median => (Num(k.Value, "#,0.##"), $"median {def.Property} of {N(k.Denominator ?? 0)} {def.Event}"),
            _ => (Num(k.Value, "0.##"), ""),
        };
    }

    private static string TopGroups(KpiDefinition def, KpiResult k)
    {
        if (k.Groups.Count == 0) return "";
        var ratio = def.Kind is KpiKind.Ratio or KpiKind.RateBy;
        var top = k.Groups.OrderByDescending(g => ratio ? g.Denominator ?? 0 : g.Numerator ?? 0).ThenBy(g => g.Key, StringComparer.Ordinal).Take(3)
            .Select(g => ratio ? $"{g.Key}: {Pct(g.Value)}" : $"{g.Key}: {N(g.Numerator ?? 0)}");
        var more = k.Groups.Count > 3 ? $", … ({k.Groups.Count} groups)" : "";
        return string.Join(", ", top) + more;
    }

    private void Attribution(AttributionDefinition def, AttributionResult a)
    {
        console.MarkupLine($"[bold]{E(a.Name)}[/]: {N(a.Conversions)} conversions, {N(a.Attributed)} credited [grey](to the last {E(def.Touch.ToString())} by {E(def.CreditProperty)}, {Unit(def.Scope)}, window {PlanDuration.Format(def.Window)})[/]");
        var t = Compact()
            .AddColumn(E(def.CreditProperty)).AddColumn(new TableColumn("conversions").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
        foreach (var c in a.Credits) t.AddRow(E(c.Value), N(c.Conversions), Pct(a.Conversions == 0 ? null : (double)c.Conversions / a.Conversions));
        t.AddRow("[grey](unattributed)[/]", N(a.Unattributed), Pct(a.Conversions == 0 ? null : (double)a.Unattributed / a.Conversions));
        console.Write(t);
    }

    private void Journey(JourneyDefinition def, JourneyResult j)
    {
        var rate = j.Started == 0 ? "" : $", {Pct((double)j.Completed / j.Started)}";
        console.MarkupLine($"[bold]{E(j.Name)}[/]: {N(j.Started)} started, {N(j.Completed)} completed{rate} [grey]({Unit(def.Unit)}, window {PlanDuration.Format(def.Window)})[/]");
        var t = Compact()
            .AddColumn("step").AddColumn(new TableColumn("reached").RightAligned());
        foreach (var s in j.Steps) t.AddRow(s.Optional ? $"[grey](optional)[/] {E(s.Event)}" : E(s.Event), N(s.Reached));
        console.Write(t);
    }
}
