using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class FilterTypeRuleTests
{
    private const string Code = "filter-type";

    private static string Plan(string definition, string value) => $$"""
        plan: t
        version: '1'
        defaults: {retention: 30d}
        properties:
          p: {{definition}}
        events:
          widget_open: {}
          csat_submitted: {required: [p]}
        funnels:
          f:
            steps:
              - widget_open
              - event: csat_submitted
                where: {p: '{{value}}'}
        """;

    [Fact]
    public void Word_against_a_number_is_reported_at_the_step()
    {
        var d = Assert.Single(Linted.Only(Code, Plan("number", "great")));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(13, d.Location.Line);
        Assert.Equal("step 2 of funnel 'f': p=great can never match: 'p' is a number", d.Message);
    }

    [Fact]
    public void Enum_value_outside_the_list_suggests_the_close_one()
    {
        var d = Assert.Single(Linted.Only(Code, Plan("{type: enum, values: [find_product, track_order]}", "track_ordr")));
        Assert.Contains("'p' is one of find_product, track_order; did you mean 'track_order'?", d.Message);
    }

    [Theory]
    [InlineData("integer", "2.5", "is an integer")]
    [InlineData("boolean", "yes", "is a boolean")]
    [InlineData("{type: array, items: string}", "x", "is an array")]
    [InlineData("{type: object, properties: {a: string}}", "x", "is an object")]
    [InlineData("{type: integer, min: 1, max: 5}", "6", "is at most 5")]
    [InlineData("{type: number, min: 0}", "-1", "is at least 0")]
    [InlineData("{type: string, pattern: '^[A-Z]{2}$'}", "usa", "must match")]
    public void Values_the_type_cannot_hold_are_reported(string definition, string value, string expected)
    {
        var d = Assert.Single(Linted.Only(Code, Plan(definition, value)));
        Assert.Contains(expected, d.Message);
    }

    [Theory]
    [InlineData("number", "4.5")]
    [InlineData("integer", "5")]
    [InlineData("boolean", "true")]
    [InlineData("boolean", "False")]
    [InlineData("{type: enum, values: [great, poor]}", "great")]
    [InlineData("string", "anything")]
    [InlineData("timestamp", "2025-01-01")]
    public void Values_the_type_can_hold_pass(string definition, string value) =>
        Assert.Empty(Linted.Only(Code, Plan(definition, value)));
}
