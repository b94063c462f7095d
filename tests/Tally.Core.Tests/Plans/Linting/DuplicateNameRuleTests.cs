using Tally.Core.Plans;
using Tally.Core.Plans.Linting;

namespace Tally.Core.Tests.Plans.Linting;

public class DuplicateNameRuleTests
{
    private const string Code = "duplicate-name";

    [Fact]
    public void Event_declared_twice_is_located_at_the_second_and_the_plan_still_loads()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            events:
              widget_open: {required: [a]}
              widget_close: {}
              widget_open: {}
            funnels:
              f: {steps: [widget_open, widget_clse]}
            """;
        var loaded = PlanLoader.Parse(yaml, "t.yaml");
        var d = Assert.Single(loaded.Diagnostics);
        Assert.Equal(Code, d.Code);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(7, d.Location.Line);
        Assert.Contains("event 'widget_open' is declared twice (first at line 5)", d.Message);
        // Reading went on past the duplicate: the first definition is kept and later sections are linted.
        Assert.NotNull(loaded.Plan);
        Assert.Equal(["widget_open", "widget_close"], loaded.Plan.Events.Select(e => e.Name));
        Assert.Equal(["a"], loaded.Plan.Events[0].Required);
        Assert.Contains(PlanLinter.Default.Lint(loaded.Plan), x => x.Code == "unknown-event" && x.Message.Contains("widget_close"));
    }

    [Theory]
    [InlineData("properties", "x: string", "property")]
    [InlineData("categories", "x: {retention: 1d}", "category")]
    [InlineData("funnels", "x: {steps: [a_b, a_b]}", "funnel")]
    [InlineData("kpis", "x: {kind: count_per_day, event: a_b}", "KPI")]
    [InlineData("journeys", "x: {steps: [a_b]}", "journey")]
    [InlineData("attribution", "x: {touch: a_b, credit: p}", "attribution")]
    public void Every_named_section_rejects_a_second_definition(string section, string entry, string kind)
    {
        var yaml = $"plan: t\nversion: '1'\nevents:\n  a_b: {{}}\n{section}:\n  {entry}\n  {entry}\n";
        var d = Assert.Single(PlanLoader.Parse(yaml, "t.yaml").Diagnostics, x => x.Code == Code);
        Assert.Equal(7, d.Location.Line);
        Assert.StartsWith($"{kind} 'x' is declared twice", d.Message);
    }

    [Fact]
    public void A_property_in_both_required_and_optional_is_reported()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              sessionId: string
            events:
              widget_open:
                required: [sessionId]
                optional: [sessionId]
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(7, d.Location.Line);
        Assert.Contains("'sessionId' as both required and optional", d.Message);
    }

    [Fact]
    public void Plans_built_in_code_are_checked_too()
    {
        var plan = new TrackingPlan
        {
            Name = "t",
            Version = "1",
            Events = [new EventDefinition { Name = "a_b" }, new EventDefinition { Name = "a_b", Location = new("t.yaml", 9, 3) }],
        };
        var d = Assert.Single(new DuplicateNameRule().Check(plan));
        Assert.Equal(9, d.Location.Line);
    }

    [Fact]
    public void Same_name_in_different_sections_or_scopes_is_fine()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              source: string
            events:
              widget_open:
                required: [source]
                properties:
                  source: {type: enum, values: [a, b]}
            funnels:
              widget_open: {steps: [widget_open, widget_open]}
            kpis:
              widget_open: {kind: count_per_day, event: widget_open}
            """;
        Assert.Empty(Linted.Only(Code, yaml));
    }
}
