using Tally.Core.Pipeline;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class OptOutTests
{
    private readonly OptOutRegistry _optOuts = new();
    private readonly EventPipeline _pipeline;

    public OptOutTests() => _pipeline = Some.Pipeline(TestPlans.Shop, optOuts: _optOuts);

    private PipelineOutcome Send(string @event, string properties = "\"sessionId\":\"s-1\"", string? userId = "u-1", string? anonymousId = "anon-1") =>
        _pipeline.Process(Some.Track(@event, properties, userId, anonymousId));

    private PipelineOutcome OptOut(bool optedOut, string? userId = "u-1", string? anonymousId = "anon-1") =>
        Send("tracking_opted_out", $"\"tracking_opt_out\":{(optedOut ? "true" : "false")}", userId, anonymousId);

    [Fact]
    public void After_opting_out_a_users_non_essential_events_are_dropped_and_essential_ones_kept()
    {
        OutcomeAssert.Accepted(Send("page_viewed"));
        OptOut(true);

        OutcomeAssert.Dropped(Send("page_viewed"), DropReasons.OptOut);
        OutcomeAssert.Dropped(Send("page_viewed", anonymousId: null), DropReasons.OptOut);
        OutcomeAssert.Accepted(Send("password_changed"));
    }

    [Fact]
    public void The_opt_out_event_is_kept_as_the_consent_record_and_reports_the_change()
    {
        // tracking_opted_out is not marked essential in this plan; it is still the record the collector persists.
        var optedOut = OutcomeAssert.Accepted(OptOut(true));
        Assert.True(optedOut.OptOut);
        Assert.Equal("u-1", optedOut.Event.UserId);
        Assert.True(_optOuts.IsOptedOut("u-1", null));
        Assert.True(_optOuts.IsOptedOut(null, "anon-1"));

        var optedIn = OutcomeAssert.Accepted(OptOut(false));
        Assert.False(optedIn.OptOut);
        Assert.False(_optOuts.IsOptedOut("u-1", "anon-1"));
    }

    [Fact]
    public void The_consent_record_is_never_sampled_out()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            defaults: {sampling: 0}
            identity: {opt_out_property: disabled, opt_out_event: analytics_disabled}
            events:
              analytics_disabled:
                required: [disabled]
                properties:
                  disabled: boolean
            """);
        Assert.True(OutcomeAssert.Accepted(pipeline.Process(Some.Track("analytics_disabled", "\"disabled\":true"))).OptOut);
        Assert.False(OutcomeAssert.Accepted(pipeline.Process(Some.Track("analytics_disabled", "\"disabled\":false"))).OptOut);
    }

    [Fact]
    public void The_opt_out_event_with_the_property_false_opts_back_in()
    {
        OptOut(true);
        OutcomeAssert.Dropped(Send("page_viewed"), DropReasons.OptOut);

        OptOut(false);

        OutcomeAssert.Accepted(Send("page_viewed"));
    }

    [Fact]
    public void Opt_out_by_an_anonymous_visitor_covers_their_anonymous_id()
    {
        OptOut(true, userId: null, anonymousId: "anon-9");

        OutcomeAssert.Dropped(Send("page_viewed", userId: null, anonymousId: "anon-9"), DropReasons.OptOut);
        OutcomeAssert.Dropped(Send("page_viewed", userId: "u-new", anonymousId: "anon-9"), DropReasons.OptOut);
        OutcomeAssert.Accepted(Send("page_viewed", userId: null, anonymousId: "anon-other"));
    }

    [Fact]
    public void The_opt_out_property_true_on_any_event_opts_out_but_false_does_not_opt_back_in()
    {
        // Seed 002 mirrors the flag on every event. The event that turned it on is kept as the record of the change;
        // later events repeating it are dropped, and a stale false on an ordinary event does not undo the opt-out.
        Assert.True(OutcomeAssert.Accepted(Send("page_viewed", "\"tracking_opt_out\":true")).OptOut);
        Assert.True(_optOuts.IsOptedOut("u-1", null));

        OutcomeAssert.Dropped(Send("page_viewed", "\"tracking_opt_out\":true"), DropReasons.OptOut);
        OutcomeAssert.Dropped(Send("page_viewed", "\"tracking_opt_out\":false"), DropReasons.OptOut);
        Assert.True(_optOuts.IsOptedOut("u-1", null));
    }

    [Fact]
    public void An_invalid_opt_out_is_honoured_at_once_and_reported_with_the_quarantined_event()
    {
        // The consent record is malformed (its session id is a number), but the wish is clear.
        var outcome = Send("tracking_opted_out", "\"tracking_opt_out\":true,\"sessionId\":7");

        OutcomeAssert.Quarantined(outcome);
        Assert.True(outcome.OptOut);
        OutcomeAssert.Dropped(Send("page_viewed"), DropReasons.OptOut);
    }

    [Fact]
    public void Invalid_events_of_an_opted_out_actor_are_dropped_not_quarantined()
    {
        OptOut(true);

        OutcomeAssert.Dropped(Send("page_viewd"), DropReasons.OptOut);
        OutcomeAssert.Dropped(Send("order_completed", "\"order_id\":42"), DropReasons.OptOut);
    }

    [Fact]
    public void Other_actors_are_unaffected()
    {
        OptOut(true);
        OutcomeAssert.Accepted(Send("page_viewed", userId: "u-2", anonymousId: "anon-2"));
    }

    [Fact]
    public void Registry_set_and_clear()
    {
        var r = new OptOutRegistry();
        r.Set("a", true);
        r.Set("b", true);
        r.Set("a", false);
        Assert.Equal(1, r.Count);
        Assert.False(r.IsOptedOut("a", null));
        Assert.True(r.IsOptedOut("x", "b"));
        Assert.False(r.IsOptedOut(null, null));
    }
}
