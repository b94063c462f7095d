using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class SamplingRangeRuleTests
{
    private const string Code = "sampling-range";

    [Fact]
    public void Event_sampling_above_one_is_an_error_at_the_event()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 30d}
            events:
              widget_open: {}
              products_shown: {sampling: 1.5}
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(6, d.Location.Line);
        Assert.Contains("event 'products_shown': 'sampling' is 1.5", d.Message);
    }

    [Fact]
    public void A_default_written_as_a_percentage_number_suggests_the_percent_sign()
    {
        var d = Assert.Single(Linted.Only(Code, "plan: t\nversion: '1'\ndefaults:\n  retention: 30d\n  sampling: 50\n"));
        Assert.Equal(4, d.Location.Line); // a block mapping starts at its first key
        Assert.Contains("write 50%", d.Message);
    }

    [Fact]
    public void Min_sampling_below_zero_is_an_error()
    {
        var d = Assert.Single(Linted.Only(Code, "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nevents:\n  a_b: {min_sampling: -0.1}\n"));
        Assert.Contains("'min_sampling' is -0.1", d.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("0.25")]
    [InlineData("50%")]
    public void Rates_between_zero_and_one_pass(string rate) =>
        Assert.Empty(Linted.Only(Code, $"plan: t\nversion: '1'\ndefaults: {{retention: 30d, sampling: {rate}}}\nevents:\n  a_b: {{sampling: {rate}, min_sampling: 0}}\n"));
}
