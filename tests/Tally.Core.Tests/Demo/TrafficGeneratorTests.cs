using System.Text.Json;
using Tally.Core.Demo;
using Tally.Core.Pipeline;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Demo;

public class TrafficGeneratorTests
{
    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void The_same_seed_gives_the_same_payloads_and_another_seed_other_ones(string planFile)
    {
        var a = DemoTraffic.Generate(planFile, 150, seed: 11);
        var b = DemoTraffic.Generate(planFile, 150, seed: 11);
        var c = DemoTraffic.Generate(planFile, 150, seed: 12);
        Assert.Equal(a.Events.Select(e => e.Json), b.Events.Select(e => e.Json));
        Assert.Equal(a.PlantedValues.Order(), b.PlantedValues.Order());
        Assert.NotEqual(a.Events.Select(e => e.Json), c.Events.Select(e => e.Json));
    }

    [Fact]
    public void A_flow_does_not_depend_on_how_many_flows_are_made()
    {
        var small = DemoTraffic.Generate("aurora-concierge.yaml", 20);
        var large = DemoTraffic.Generate("aurora-concierge.yaml", 60);
        Assert.Equal(small.Events.Select(e => e.Json), large.Events.Where(e => e.Flow < 20).Select(e => e.Json));
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Events_lie_before_the_base_time_spread_over_the_profile_window_in_time_order(string planFile)
    {
        var (_, profile) = DemoTraffic.Load(planFile);
        var traffic = DemoTraffic.Generate(planFile, 300);
        var times = traffic.Events.Select(e => e.Timestamp).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(times, t => Assert.True(t < DemoTraffic.Now, $"{t:o} is not before {DemoTraffic.Now:o}"));
        // Day-level plans date events to the day: allow the day the spread began on.
        var earliest = DemoTraffic.Now - profile.Spread - TimeSpan.FromDays(1);
        Assert.All(times, t => Assert.True(t > earliest, $"{t:o} is before the spread"));
        var starts = traffic.Events.GroupBy(e => e.Flow).Select(g => g.Min(e => e.Timestamp)).ToList();
        Assert.True(starts.Max() - starts.Min() > profile.Spread / 3, "flows are not spread over time");
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Payloads_are_shaped_by_the_plan_envelope(string planFile)
    {
        var (plan, _) = DemoTraffic.Load(planFile);
        var traffic = DemoTraffic.Generate(planFile, 50);
        foreach (var e in traffic.Events.Where(e => e.Intent == EventIntent.Valid))
        {
            using var doc = JsonDocument.Parse(e.Json);
            var root = doc.RootElement;
            var mapped = EnvelopeMapper.Map(root, plan);
            Assert.Equal(e.Name, mapped.Name);
            Assert.NotNull(mapped.EventId);
            Assert.True(IsoTimestamp.TryParse(mapped.TimestampText, out var ts));
            Assert.Equal(e.Timestamp, ts);
            if (plan.Envelope.Format == EnvelopeFormat.Segment)
            {
                Assert.Equal("track", root.GetProperty("type").GetString());
                Assert.Equal(JsonValueKind.Object, root.GetProperty("properties").ValueKind);
            }
            if (!plan.Identity.Identifiers) Assert.True(mapped is { AnonymousId: null, UserId: null, SessionId: null });
        }
    }

    [Fact]
    public void Pre_counted_payloads_carry_their_count_and_a_day_level_date()
    {
        var traffic = DemoTraffic.Generate("minimal-telemetry.yaml", 40);
        var counts = traffic.Events.Select(e => JsonDocument.Parse(e.Json).RootElement).Select(r => (Date: r.GetProperty("event_date").GetString()!, Count: r.TryGetProperty("count", out var c) ? c.GetInt64() : 1)).ToList();
        Assert.All(counts, c => Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", c.Date));
        Assert.Contains(counts, c => c.Count > 1);
    }

    [Fact]
    public void Skillforge_flows_start_anonymous_and_send_the_user_id_from_the_login_on()
    {
        var traffic = DemoTraffic.Generate("skillforge.yaml", 200);
        var flows = traffic.Events.GroupBy(e => e.Flow)
            .Select(g => g.Select(e => JsonDocument.Parse(e.Json).RootElement).ToList())
            .Where(f => f.Any(r => r.TryGetProperty("user_id", out _)))
            .ToList();
        Assert.NotEmpty(flows);
        // At least one identified flow has anonymous events first, then events with both ids.
        Assert.Contains(flows, f => !f[0].TryGetProperty("user_id", out _) && f[^1].TryGetProperty("anonymous_id", out _));
        Assert.All(flows, f => Assert.All(f, r => Assert.True(r.TryGetProperty("anonymous_id", out _))));
    }
}
