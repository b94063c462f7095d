using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans;

public class PlanDurationTests
{
    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("24h", 24 * 3600)]
    [InlineData("14d", 14 * 86400)]
    [InlineData("6mo", 180 * 86400)]
    [InlineData("2y", 730 * 86400)]
    [InlineData("90s", 90)]
    public void Durations_parse_to_their_length(string text, long seconds)
    {
        Assert.True(PlanDuration.TryParse(text, out var value));
        Assert.Equal(seconds, (long)value.TotalSeconds);
    }

    [Fact]
    public void Forever_never_expires() => Assert.Equal(PlanDuration.Forever, PlanDuration.Parse("forever"));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("12 parsecs")]
    [InlineData("-3d")]
    public void Nonsense_is_not_a_duration(string text) => Assert.False(PlanDuration.TryParse(text, out _));
}
