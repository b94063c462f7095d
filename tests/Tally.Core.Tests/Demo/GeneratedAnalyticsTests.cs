using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Demo;

/// <summary>The demo's traffic gives every funnel, journey, KPI and attribution of a plan something to show.</summary>
public class GeneratedAnalyticsTests
{
    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Funnels_have_people_at_every_step_and_lose_some_on_the_way(string planFile)
    {
        var run = DemoTraffic.Through(planFile, 600);
        var results = run.Results();
        Assert.Empty(results.Failures);
        Assert.Equal(run.Plan.Funnels.Select(f => f.Name), results.Funnels.Select(f => f.Name));
        foreach (var f in results.Funnels)
        {
            var actors = f.Result.Steps.Select(s => s.Actors).ToList();
            Assert.True(actors[^1] > 0, $"{f.Name}: nobody reached the last step ({string.Join(" > ", actors)})");
            for (var i = 1; i < actors.Count; i++) Assert.True(actors[i] <= actors[i - 1], $"{f.Name}: {string.Join(" > ", actors)}");
            Assert.True(actors[^1] < actors[0], $"{f.Name}: nobody dropped off ({string.Join(" > ", actors)})");
        }
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Journeys_are_started_and_some_but_not_all_completed(string planFile)
    {
        var results = DemoTraffic.Through(planFile, 600).Results();
        foreach (var j in results.Journeys)
        {
            Assert.True(j.Started > 0 && j.Completed > 0 && j.Completed < j.Started, $"{j.Name}: {j.Started} started, {j.Completed} completed");
            Assert.All(j.Steps.Where(s => s.Optional), s => Assert.True(s.Reached > 0, $"{j.Name}: optional {s.Event} never reached"));
        }
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Every_kpi_has_a_value_from_events_that_happened(string planFile)
    {
        var run = DemoTraffic.Through(planFile, 600);
        var results = run.Results();
        Assert.Equal(run.Plan.Kpis.Select(k => k.Name), results.Kpis.Select(k => k.Name));
        foreach (var k in results.Kpis)
        {
            Assert.True(k.Value is not null, $"{k.Name} has no value");
            if (k.Kind is KpiKind.Ratio or KpiKind.RateBy or KpiKind.ConversionWithin)
            {
                Assert.True(k.Numerator > 0 && k.Numerator <= k.Denominator || k.Kind == KpiKind.RateBy && k.Numerator > 0,
                    $"{k.Name}: {k.Numerator}/{k.Denominator}");
                Assert.True(k.Value < 1 || k.Kind == KpiKind.RateBy, $"{k.Name} is {k.Value}: every start converted, which real traffic never does");
            }
            else
            {
                Assert.True(k.Value != 0 || k.Kind == KpiKind.AverageChange, $"{k.Name} is 0");
            }
        }
    }

    [Fact]
    public void Seed_004_kpis_group_aggregate_only_counts_by_their_declared_properties()
    {
        var results = DemoTraffic.Through("minimal-telemetry.yaml", 600).Results();
        foreach (var k in results.Kpis)
        {
            Assert.True(k.Groups.Count > 1, $"{k.Name}: {k.Groups.Count} groups");
            // Every group key the plan names is one the roll-up kept: no group lacks all of them.
            Assert.Contains(k.Groups, g => g.Values.All(v => v != KpiEngine.NoValue && v != KpiEngine.AnyValue));
            Assert.Equal(k.Numerator, k.Kind == KpiKind.CountPerDay ? k.Groups.Sum(g => g.Numerator) : k.Numerator);
        }
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Attributions_credit_most_conversions_to_a_touch(string planFile)
    {
        var results = DemoTraffic.Through(planFile, 600).Results();
        foreach (var a in results.Attributions)
        {
            Assert.True(a.Conversions > 0, $"{a.Name}: no conversions");
            Assert.True(a.Attributed > a.Conversions / 2, $"{a.Name}: {a.Attributed} of {a.Conversions} attributed");
            Assert.True(a.Credits.Count > 1, $"{a.Name}: every conversion credited to one value");
        }
    }
}
