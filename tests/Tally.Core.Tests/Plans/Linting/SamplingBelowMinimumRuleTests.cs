using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class SamplingBelowMinimumRuleTests
{
    private const string Code = "sampling-below-minimum";

    [Fact]
    public void Event_sampled_below_its_minimum_is_an_error()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 30d}
            events:
              aurora_products_shown:
                sampling: 20%
                min_sampling: 50%
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(5, d.Location.Line);
        Assert.Contains("its sampling 20% is below its min_sampling 50%", d.Message);
    }

    [Fact]
    public void The_default_sampling_counts_when_the_event_sets_none()
    {
        var d = Assert.Single(Linted.Only(Code, "plan: t\nversion: '1'\ndefaults: {retention: 30d, sampling: 0.3}\nevents:\n  a_b: {min_sampling: 0.5}\n"));
        Assert.Contains("the default sampling 30%", d.Message);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("1")]
    public void Sampling_at_or_above_the_minimum_passes(string rate) =>
        Assert.Empty(Linted.Only(Code, $"plan: t\nversion: '1'\ndefaults: {{retention: 30d}}\nevents:\n  a_b: {{sampling: {rate}, min_sampling: 0.5}}\n"));
}
