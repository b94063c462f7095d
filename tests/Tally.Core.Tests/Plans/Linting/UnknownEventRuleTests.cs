using System.Text.RegularExpressions;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class UnknownEventRuleTests
{
    private const string Code = "unknown-event";

    [Fact]
    public void Misspelt_funnel_step_is_reported_at_its_line_with_a_suggestion()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            events:
              aurora_widget_open: {}
              aurora_products_shown: {}
            funnels:
              engagement:
                steps:
                  - aurora_widget_open
                  - aurora_products_shwn
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(11, d.Location.Line);
        Assert.Contains("step 2 of funnel 'engagement'", d.Message);
        Assert.Contains("did you mean 'aurora_products_shown'?", d.Message);
    }

    [Fact]
    public void Every_place_that_names_an_event_is_checked()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            identity:
              opt_out_event: opt_out_x
            events:
              a_b: {}
            journeys:
              j:
                steps: [a_b, journey_x]
            funnels:
              f:
                steps: [a_b, a_b]
                exclude:
                  - {event: exclusion_x, after_step: 1, before_step: 2}
            kpis:
              r: {kind: ratio, numerator: numerator_x, denominator: denominator_x}
              c: {kind: count_per_day, event: event_x}
              w: {kind: conversion_within, start: start_x, end: end_x, within: 1d}
            attribution:
              a:
                touch: touch_x
                credit: p
                conversions: [conversion_x]
            """;
        var names = Linted.Only(Code, yaml).Select(d => Regex.Match(d.Message, "event '([^']+)'").Groups[1].Value).Order().ToList();
        Assert.Equal(
            ["conversion_x", "denominator_x", "end_x", "event_x", "exclusion_x", "journey_x", "numerator_x", "opt_out_x", "start_x", "touch_x"],
            names);
    }

    [Fact]
    public void Any_event_is_accepted_by_a_KPI_but_not_as_a_funnel_step()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            events:
              a_b: {}
            funnels:
              f:
                steps: [a_b, '*']
            kpis:
              wau: {kind: distinct_actors, event: '*', period: week}
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(8, d.Location.Line);
        Assert.Contains("'*' (any event) is not allowed here", d.Message);
    }

    [Fact]
    public void Declared_events_are_not_reported()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            events:
              a_b: {}
              a_c: {}
            funnels:
              f: {steps: [a_b, a_c]}
            kpis:
              r: {kind: ratio, numerator: a_c, denominator: a_b}
            """;
        Assert.Empty(Linted.Only(Code, yaml));
    }
}
