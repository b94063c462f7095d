using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class KpiShapeRuleTests
{
    private const string Code = "kpi-shape";

    private static string Plan(string kpi) => $$"""
        plan: t
        version: '1'
        defaults: {retention: 30d}
        properties:
          duration_ms: number
          page: string
        events:
          a_b: {optional: [duration_ms, page]}
          a_c: {optional: [page]}
        kpis:
          k: {{kpi}}
        """;

    [Fact]
    public void Ratio_without_denominator_is_an_error_at_the_kpi()
    {
        var d = Assert.Single(Linted.Only(Code, Plan("{kind: ratio, numerator: a_b}")));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(11, d.Location.Line);
        Assert.Equal("KPI 'k' (ratio) needs 'denominator'", d.Message);
    }

    [Theory]
    [InlineData("{kind: rate_by, numerator: a_b, denominator: a_c}", "needs 'group_by'")]
    [InlineData("{kind: count_per_day}", "needs 'event'")]
    [InlineData("{kind: distinct_actors, period: week}", "needs 'event'")]
    [InlineData("{kind: conversion_within, start: a_b, end: a_c}", "needs 'within'")]
    [InlineData("{kind: average_change, event: a_b}", "needs 'property'")]
    [InlineData("{kind: median, event: a_b, property: page}", "needs a numeric property, but 'page' is string")]
    [InlineData("{kind: distinct_actors, event: '*', period: weekly}", "period 'weekly' is not one of day, week, month; did you mean 'week'?")]
    public void Missing_or_wrong_fields_are_errors(string kpi, string expected)
    {
        var d = Assert.Single(Linted.Only(Code, Plan(kpi)));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Contains(expected, d.Message);
    }

    [Fact]
    public void A_field_the_kind_ignores_is_a_warning()
    {
        var d = Assert.Single(Linted.Only(Code, Plan("{kind: count_per_day, event: a_b, numerator: a_c}")));
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Contains("ignores 'numerator'", d.Message);
    }

    [Theory]
    [InlineData("{kind: ratio, numerator: a_b, denominator: a_c}")]
    [InlineData("{kind: rate_by, numerator: a_b, denominator: a_c, group_by: [page]}")]
    [InlineData("{kind: count_per_day, event: a_b}")]
    [InlineData("{kind: distinct_actors, event: '*', period: month}")]
    [InlineData("{kind: conversion_within, start: a_b, end: a_c, within: 14d}")]
    [InlineData("{kind: average_change, event: a_b, property: duration_ms}")]
    [InlineData("{kind: median, event: a_b, property: duration_ms}")]
    public void Well_formed_KPIs_of_every_kind_pass(string kpi) => Assert.Empty(Linted.Only(Code, Plan(kpi)));
}
