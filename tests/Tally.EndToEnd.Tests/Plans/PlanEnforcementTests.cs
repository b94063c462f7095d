using System.Text.Json.Nodes;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Plans;

/// <summary>
/// Events that break the plan are answered 200 (the client must not retry them) with a quarantined count, and kept
/// in quarantine with every reason; the valid events of the same batch are stored; retries are deduplicated.
/// </summary>
public sealed class PlanEnforcementTests(AuroraServer fixture) : IClassFixture<AuroraServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task An_unknown_event_is_quarantined_as_unknown_event()
    {
        var call = Some.Track("aurora_gift_card_viewed");

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(call));

        posted.ShouldBeIngested(accepted: 0, quarantined: 1);
        var q = Assert.Single(await Server.QuarantineOfAsync(posted.RequestId));
        Assert.Equal(("aurora_gift_card_viewed", "unknown_event"), (q.EventName, Assert.Single(q.Reasons).Code));
        Assert.Empty(await Server.EventsOfAsync(posted.RequestId));
    }

    [Fact]
    public async Task A_missing_required_property_is_quarantined_as_missing_property()
    {
        var call = Some.WidgetOpen();
        call["properties"]!.AsObject().Remove("source");

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(call));

        posted.ShouldBeIngested(accepted: 0, quarantined: 1);
        var reason = Assert.Single(Assert.Single(await Server.QuarantineOfAsync(posted.RequestId)).Reasons);
        Assert.Equal(("missing_property", "source"), (reason.Code, reason.Property));
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_quarantined_as_wrong_type()
    {
        var call = Some.Track("aurora_intent_complete", new JsonObject { ["intent"] = "find_product", ["durationMs"] = "fast" });

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(call));

        posted.ShouldBeIngested(accepted: 0, quarantined: 1);
        var reason = Assert.Single(Assert.Single(await Server.QuarantineOfAsync(posted.RequestId)).Reasons);
        Assert.Equal(("wrong_type", "durationMs"), (reason.Code, reason.Property));
    }

    [Fact]
    public async Task A_value_outside_the_enum_is_quarantined_as_enum_violation()
    {
        var call = Some.IntentDetected(intent: "buy_now");

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(call));

        posted.ShouldBeIngested(accepted: 0, quarantined: 1);
        var reason = Assert.Single(Assert.Single(await Server.QuarantineOfAsync(posted.RequestId)).Reasons);
        Assert.Equal(("enum_violation", "intent"), (reason.Code, reason.Property));
    }

    [Fact]
    public async Task An_event_breaking_several_rules_is_quarantined_with_every_reason()
    {
        var call = Some.Track("aurora_intent_complete", new JsonObject { ["intent"] = "buy_now", ["durationMs"] = "fast", ["outcome"] = "meh" });
        call["properties"]!.AsObject().Remove("requestId");

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(call));

        posted.ShouldBeIngested(accepted: 0, quarantined: 1);
        var q = Assert.Single(await Server.QuarantineOfAsync(posted.RequestId));
        Assert.Equal(
            [("enum_violation", "intent"), ("enum_violation", "outcome"), ("missing_property", "requestId"), ("wrong_type", "durationMs")],
            q.Reasons.Select(r => (r.Code, r.Property)).Order());
    }

    [Fact]
    public async Task One_invalid_event_among_ten_leaves_nine_stored()
    {
        var events = Enumerable.Range(0, 10).Select(_ => Some.IntentDetected()).ToArray();
        events[4]["properties"]!["intent"] = "buy_now";

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(events));

        posted.ShouldBeIngested(accepted: 9, quarantined: 1);
        Assert.Equal(events.Where((_, i) => i != 4).Select(e => e["messageId"]!.GetValue<string>()).Order(),
            (await Server.EventsOfAsync(posted.RequestId)).Select(e => e.EventId).Order());
        Assert.Equal(events[4]["messageId"]!.GetValue<string>(), Assert.Single(await Server.QuarantineOfAsync(posted.RequestId)).EventId);
    }

    [Fact]
    public async Task A_retried_batch_stores_nothing_new_and_reports_duplicates()
    {
        var events = Enumerable.Range(0, 10).Select(_ => Some.IntentDetected()).ToArray();
        events[0]["properties"]!["intent"] = "buy_now";
        var body = Some.Batch(events);
        var ids = events.Select(e => e["messageId"]!.GetValue<string>()).ToHashSet();

        var first = await Server.PostAsync("/v1/batch", body);
        var retry = await Server.PostAsync("/v1/batch", body);

        first.ShouldBeIngested(accepted: 9, quarantined: 1);
        Assert.Equal(0, retry.Count("accepted"));
        Assert.Equal(9, retry.Count("duplicates"));
        Assert.Empty(await Server.EventsOfAsync(retry.RequestId));
        Assert.Equal(9, (await Server.AllEventsAsync()).Count(e => ids.Contains(e.EventId)));
        Assert.Single(await Server.AllQuarantineAsync(), q => ids.Contains(q.EventId));
    }
}
