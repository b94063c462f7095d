using Tally.Core.Analytics;
using Tally.Core.Plans;
using static Tally.Core.Tests.Analytics.Stored;

namespace Tally.Core.Tests.Analytics;

/// <summary>The windowFunnel rules one at a time, on a few events each.</summary>
public class FunnelEngineTests
{
    private static readonly DateTimeOffset T = Utc(2026, 3, 2, 10);
    private static readonly TimeRange Day = TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3));

    private static AnalyticsEvent S(string name, int minute, string session = "s1", string json = "{}") => Event(name, T.AddMinutes(minute), session: session, json: json);

    private static long[] Levels(IEnumerable<AnalyticsEvent> events, string[] steps, int windowMinutes = 30, TimeRange? range = null) =>
        FunnelEngine.Run(events, IdentityGraph.Empty,
                new FunnelQuery(steps.Select(s => EventFilter.Of(s)).ToList(), TimeSpan.FromMinutes(windowMinutes), CountingUnit.Session, range ?? Day))
            .Steps.Select(s => s.Actors).ToArray();

    [Fact]
    public void One_event_matching_two_consecutive_steps_satisfies_both()
    {
        // "*" and "a" both match the single event: ties are processed in step order, so it is steps 1 and 2.
        var r = FunnelEngine.Run([S("a", 0)], IdentityGraph.Empty,
            new FunnelQuery([EventFilter.Of("*"), EventFilter.Of("a")], TimeSpan.FromMinutes(30), CountingUnit.Session, Day));
        Assert.Equal([1L, 1], r.Steps.Select(s => s.Actors));
    }

    [Fact]
    public void Steps_at_the_same_instant_count_in_step_order_whatever_the_arrival_order()
    {
        Assert.Equal([1L, 1], Levels([S("b", 0), S("a", 0)], ["a", "b"]));
    }

    [Fact]
    public void A_step_before_the_previous_one_does_not_count()
    {
        Assert.Equal([1L, 0], Levels([S("b", 0), S("a", 1)], ["a", "b"]));
    }

    [Fact]
    public void The_window_is_inclusive()
    {
        Assert.Equal([1L, 1], Levels([S("a", 0), S("b", 30)], ["a", "b"]));
        Assert.Equal([1L, 0], Levels([S("a", 0), S("b", 31)], ["a", "b"]));
    }

    [Fact]
    public void A_later_start_rescues_a_chain_the_first_start_let_expire()
    {
        // a@0 is too early for b@40, but a@20 is within 30 minutes of it.
        Assert.Equal([1L, 1], Levels([S("a", 0), S("a", 20), S("b", 40)], ["a", "b"]));
    }

    [Fact]
    public void Only_starts_inside_the_range_count_but_later_steps_may_follow_after_its_end()
    {
        var evening = new TimeRange(T, T.AddMinutes(10));
        // Started at 10:05, finished at 10:25, after the range end at 10:10.
        var r = FunnelEngine.Run([S("a", 5), S("b", 25), S("a", 15, "s2"), S("b", 16, "s2")], IdentityGraph.Empty,
            new FunnelQuery([EventFilter.Of("a"), EventFilter.Of("b")], TimeSpan.FromMinutes(30), CountingUnit.Session, evening));
        Assert.Equal([1L, 1], r.Steps.Select(s => s.Actors)); // s2 started after the range
        Assert.Equal(1, r.CompletesAfterRangeEnd);
    }

    [Fact]
    public void Events_without_a_session_are_skipped_for_session_funnels()
    {
        Assert.Equal([0L], Levels([Event("a", T, anon: "x")], ["a"]));
    }

    [Fact]
    public void Median_uses_the_latest_events_of_the_chain_with_the_latest_start()
    {
        // s1: a@0, a@10, b@12, b@14 → latest start 10, latest b 14: 4 minutes. s2: a@0, b@2 → 2 minutes.
        var r = FunnelEngine.Run([S("a", 0), S("a", 10), S("b", 12), S("b", 14), S("a", 0, "s2"), S("b", 2, "s2")], IdentityGraph.Empty,
            new FunnelQuery([EventFilter.Of("a"), EventFilter.Of("b")], TimeSpan.FromMinutes(30), CountingUnit.Session, Day));
        Assert.Equal(180.0, r.Steps[1].MedianSecondsFromPrevious); // median of 240 s and 120 s
    }

    [Fact]
    public void An_exclusion_between_two_steps_drops_the_actor_from_every_step()
    {
        var q = new FunnelQuery([EventFilter.Of("a"), EventFilter.Of("b")], TimeSpan.FromMinutes(30), CountingUnit.Session, Day,
            Exclusions: [new ExclusionDefinition(EventFilter.Of("x"), 1, 2)]);
        var r = FunnelEngine.Run([S("a", 0), S("x", 1), S("b", 2), S("a", 0, "s2"), S("b", 2, "s2"), S("x", 3, "s2"), S("a", 0, "s3"), S("x", 1, "s3")], IdentityGraph.Empty, q);
        // s1 excluded (x between a and b); s2's x came after b; s3 never reached b, so it stays at step 1.
        Assert.Equal([2L, 1], r.Steps.Select(s => s.Actors));
        Assert.Equal(1, r.Excluded);
    }

    [Fact]
    public void Breakdown_uses_the_first_start_and_names_missing_values()
    {
        var q = new FunnelQuery([EventFilter.Of("a"), EventFilter.Of("b")], TimeSpan.FromMinutes(30), CountingUnit.Session, Day, BreakdownBy: "persona");
        var r = FunnelEngine.Run(
            [S("a", 0, json: """{"persona":"student"}"""), S("a", 5, json: """{"persona":"advisor"}"""), S("b", 6),
             S("a", 0, "s2", """{"persona":"student"}"""), S("a", 0, "s3")], IdentityGraph.Empty, q);
        Assert.Equal([("student", 2L, 1L), ("(none)", 1L, 0L)], r.Breakdown.Select(b => (b.Value, b.Steps[0].Actors, b.Steps[1].Actors)));
    }

    [Fact]
    public void User_funnels_join_anonymous_steps_before_login_to_the_user()
    {
        var graph = new IdentityGraph([new Events.IdentityLink("anon-1", "u-1", Events.IdentityLink.Identify, T)]);
        var q = new FunnelQuery([EventFilter.Of("a"), EventFilter.Of("b")], TimeSpan.FromDays(1), CountingUnit.User, Day);
        var r = FunnelEngine.Run([Event("a", T, anon: "anon-1"), Event("b", T.AddHours(2), user: "u-1")], graph, q);
        Assert.Equal([1L, 1], r.Steps.Select(s => s.Actors));
    }
}
