using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class FunnelShapeRuleTests
{
    private const string Code = "funnel-shape";

    private const string Events = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {}\n  a_c: {}\n  a_d: {}\n";

    [Fact]
    public void Funnel_with_one_step_is_an_error_at_the_funnel()
    {
        var d = Assert.Single(Linted.Only(Code, Events + "funnels:\n  f:\n    steps: [a_b]\n"));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(9, d.Location.Line);
        Assert.Equal("funnel 'f' has 1 step; a funnel needs at least 2", d.Message);
    }

    [Theory]
    [InlineData(2, 2, "not before before_step")]
    [InlineData(3, 1, "not before before_step")]
    [InlineData(0, 2, "outside its steps 1..3")]
    [InlineData(2, 4, "outside its steps 1..3")]
    public void Exclusion_outside_the_steps_is_reported_at_the_exclusion(int after, int before, string expected)
    {
        var yaml = Events + $"funnels:\n  f:\n    steps: [a_b, a_c, a_d]\n    exclude:\n      - {{event: a_b, after_step: {after}, before_step: {before}}}\n";
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(12, d.Location.Line);
        Assert.Contains(expected, d.Message);
    }

    [Fact]
    public void Journey_without_steps_or_with_an_optional_start_is_an_error()
    {
        var yaml = Events + "journeys:\n  empty: {}\n  loose:\n    steps:\n      - {event: a_b, optional: true}\n      - a_c\n";
        var found = Linted.Only(Code, yaml);
        Assert.Equal(2, found.Count);
        Assert.Equal((9, "journey 'empty' has no steps"), (found[0].Location.Line, found[0].Message));
        Assert.Equal(12, found[1].Location.Line);
        Assert.Contains("first step 'a_b' is optional", found[1].Message);
    }

    [Fact]
    public void Well_formed_funnels_and_journeys_pass()
    {
        var yaml = Events + """
            funnels:
              f:
                steps: [a_b, a_c, a_d]
                exclude:
                  - {event: a_b, after_step: 1, before_step: 3}
            journeys:
              j:
                steps:
                  - a_b
                  - {event: a_c, optional: true}
                  - a_d
            """;
        Assert.Empty(Linted.Only(Code, yaml));
    }
}
