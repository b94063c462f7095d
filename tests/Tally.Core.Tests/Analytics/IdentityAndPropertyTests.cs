using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Analytics;

public class IdentityAndPropertyTests
{
    private static IdentityLink L(string from, string to, string kind = IdentityLink.Identify) => new(from, to, kind, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Users_sharing_a_merge_key_become_the_smallest_user_id()
    {
        var g = new IdentityGraph([L("mk:h", "u-b", IdentityLink.MergeKey), L("anon-1", "u-b"), L("mk:h", "u-a", IdentityLink.MergeKey)]);
        Assert.Equal(["u-a", "u-a", "u-a", "u-a"], new[] { "u-a", "u-b", "anon-1", "mk:h" }.Select(g.Resolve));
    }

    [Fact]
    public void A_never_identified_anonymous_id_is_its_own_user()
    {
        var e = AnalyticsEvent.Of("a", 0, anonymousId: "anon-9");
        Assert.Equal("anon-9", IdentityGraph.Empty.ActorKey(e, CountingUnit.User));
        Assert.Null(IdentityGraph.Empty.ActorKey(AnalyticsEvent.Of("a", 0, sessionId: "s"), CountingUnit.User));
    }

    [Fact]
    public void Anonymous_unit_does_not_stitch()
    {
        var g = new IdentityGraph([L("anon-1", "u-1")]);
        Assert.Equal("anon-1", g.ActorKey(AnalyticsEvent.Of("a", 0, anonymousId: "anon-1", userId: "u-1"), CountingUnit.Anonymous));
        Assert.Equal("u-1", g.ActorKey(AnalyticsEvent.Of("a", 0, userId: "u-1"), CountingUnit.Anonymous));
    }

    [Fact]
    public void Nested_properties_flatten_to_dotted_keys_and_numbers_to_plain_text()
    {
        var p = PropertyFlattener.Flatten("""{"decision":{"department":"legal","score":5e2},"ok":true,"ids":[1,2],"gone":null,"x":2.50}""");
        Assert.Equal("legal", p["decision.department"]);
        Assert.Equal("500", p["decision.score"]);
        Assert.Equal("true", p["ok"]);
        Assert.Equal("2.5", p["x"]);
        Assert.False(p.ContainsKey("ids"));
        Assert.Null(p["gone"]);
    }

    [Fact]
    public void Filters_compare_numbers_and_booleans_as_text()
    {
        var e = new AnalyticsEvent("api_error", 0, null, null, null, PropertyFlattener.Flatten("""{"status_code":500,"retry":false}"""));
        Assert.True(new EventMatcher(EventFilter.Of("api_error", ("status_code", "500"), ("retry", "false"))).Matches(e));
        Assert.False(new EventMatcher(EventFilter.Of("api_error", ("status_code", "404"))).Matches(e));
        Assert.True(new EventMatcher(EventFilter.Of("*")).Matches(e));
        Assert.False(new EventMatcher(EventFilter.Of("*", ("missing", "x"))).Matches(e));
    }

    [Fact]
    public void Weeks_start_on_monday_and_hours_are_labelled_to_the_minute()
    {
        // Sunday 8 March 2026 belongs to the week of Monday 2 March.
        var sunday = new DateTimeOffset(2026, 3, 8, 23, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal("2026-03-02", TimeBuckets.Label(TimeBuckets.Floor(sunday, "week"), "week"));
        Assert.Equal("2026-03-08T23:00", TimeBuckets.Label(TimeBuckets.Floor(sunday + 59_000, "hour"), "hour"));
        Assert.Equal("2026-03-01", TimeBuckets.Label(TimeBuckets.Floor(sunday, "month"), "month"));
    }

    [Fact]
    public void Counts_fill_empty_hours_with_zero_and_sum_pre_counted_events()
    {
        var from = new DateTimeOffset(2026, 3, 2, 10, 30, 0, TimeSpan.Zero);
        var r = CountsEngine.Run(
            [AnalyticsEvent.Of("a", from.ToUnixTimeMilliseconds()) with { Count = 3 }, AnalyticsEvent.Of("a", from.AddHours(2).ToUnixTimeMilliseconds())],
            new CountsQuery("a", new TimeRange(from, from.AddHours(2)), CountGranularity.Hour));
        // The event at exactly the range end is outside it.
        Assert.Equal(3, r.Total);
        Assert.Equal([new CountPoint("2026-03-02T10:00", 3), new CountPoint("2026-03-02T11:00", 0), new CountPoint("2026-03-02T12:00", 0)], r.Series);
    }
}
