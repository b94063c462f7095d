using Tally.Core.Analytics;
using Tally.Server.Query;

namespace Tally.Core.Tests.Governance;

public sealed class SmallGroupsTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FunnelBreakdownRow Row(string value, long entered) =>
        new(value, [new FunnelStepResult("a", "a", entered, null, null, null), new FunnelStepResult("b", "b", entered / 2, 0.5, 0.5, 1)]);

    [Fact]
    public void A_funnel_breakdown_row_with_fewer_actors_entering_than_the_threshold_is_left_out()
    {
        var funnel = new FunnelResponse("f", T, T.AddDays(1), "session", "30m", "plan",
            [new FunnelStepResult("a", "a", 13, null, null, null)], [Row("pro", 5), Row("free", 4), Row("team", 4)], 0, 0);

        var (answer, suppressed) = SmallGroups.Funnel(funnel, 5);

        Assert.Equal(["pro"], answer.Breakdown.Select(b => b.Value));
        Assert.Equal(2, suppressed);
        Assert.Equal(funnel.Steps, answer.Steps);
    }

    [Theory]
    [InlineData("ratio", 3L, 5L, true)]
    [InlineData("ratio", 4L, 4L, false)]
    [InlineData("rate_by", 0L, 7L, true)]
    [InlineData("count_per_day", 5L, 30L, true)]
    [InlineData("count_per_day", 4L, 30L, false)]
    [InlineData("distinct_actors", 2L, 7L, false)]
    public void A_kpi_group_is_kept_only_when_its_size_reaches_the_threshold(string kind, long numerator, long denominator, bool kept)
    {
        var kpi = new KpiResponse("k", kind, null, "session", 0.5, 10, 20, [], [new KpiGroup("g=x", ["x"], 0.5, numerator, denominator)], null);

        var (answer, suppressed) = SmallGroups.Kpi(kpi, 5);

        Assert.Equal(kept ? 1 : 0, answer.Groups.Count);
        Assert.Equal(kept ? 0 : 1, suppressed);
        Assert.Equal(kpi.Value, answer.Value);
    }

    [Fact]
    public void A_kpi_group_without_a_size_is_left_out()
    {
        var kpi = new KpiResponse("k", "median", null, "session", 3, null, null, [], [new KpiGroup("g=x", ["x"], 3)], null);

        Assert.Empty(SmallGroups.Kpi(kpi, 5).Answer.Groups);
    }

    [Fact]
    public void Attribution_credits_with_few_conversions_are_left_out_everywhere_and_totals_kept()
    {
        var attribution = new AttributionResponse("a", null, T, T.AddDays(1), "touch", "campaign", "7d", "user", 20, 15, 5,
            [new AttributionCredit("spring", 11), new AttributionCredit("rare", 4)],
            [new AttributionByConversion("purchase", 20, 15, 5, [new AttributionCredit("spring", 11), new AttributionCredit("rare", 4)])]);

        var (answer, suppressed) = SmallGroups.Attribution(attribution, 5);

        Assert.Equal(["spring"], answer.Credits.Select(c => c.Value));
        Assert.Equal(["spring"], answer.ByConversionEvent.Single().Credits.Select(c => c.Value));
        Assert.Equal(2, suppressed);
        Assert.Equal((20L, 15L, 5L), (answer.Conversions, answer.Attributed, answer.Unattributed));
    }
}
