using System.Globalization;
using System.Text.Json.Nodes;
using Tally.Core.Pipeline;
using Tally.Core.Plans;
using Tally.Core.Privacy;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Quarantine;

/// <summary>
/// Events quarantined because the plan lagged behind the product are replayed once the plan is fixed: they move into
/// the store under their own ids, leave the quarantine, keep their hashes (not hashed twice), and a second replay
/// changes nothing.
/// </summary>
public sealed class QuarantineReplayTests
{
    private const string Email = "maya.student@example.com";

    [Fact]
    public async Task Events_that_failed_a_plan_gap_move_to_the_store_once_the_plan_is_fixed_and_never_twice()
    {
        await using var server = await TestServer.StartAsync(Repo.PathOf("plans", "aurora-concierge.yaml"));
        var whatsapp = Some.Track("aurora_order_updates_subscribed", new JsonObject { ["channel"] = "whatsapp", ["contactEmail"] = Email });
        var giftCardIntent = Some.IntentDetected(intent: "gift_card");
        var giftCardViewed = Some.Track("aurora_gift_card_viewed", new JsonObject { ["amount"] = 150 });
        var stillBroken = Some.WidgetOpen();
        stillBroken["properties"]!.AsObject().Remove("source");
        var gapIds = new[] { whatsapp, giftCardIntent, giftCardViewed }.Select(e => e["messageId"]!.GetValue<string>()).ToList();

        var posted = await server.PostAsync("/v1/batch", Some.Batch(whatsapp, giftCardIntent, giftCardViewed, stillBroken, Some.WidgetOpen()));
        posted.ShouldBeIngested(accepted: 1, quarantined: 4);
        await server.StopAsync();

        using var fixedPlan = TempPlan.From("aurora-concierge.yaml",
            ("values: [sms, email]", "values: [sms, email, whatsapp]"),
            ("values: [find_product, track_order, return_exchange, contact_stylist, unknown]", "values: [find_product, track_order, return_exchange, contact_stylist, unknown, gift_card]"),
            ("  aurora_inline_stylist:\n", "  aurora_gift_card_viewed:\n    description: Gift card page viewed.\n    required: [sessionId, requestId]\n    optional: [amount]\n  aurora_inline_stylist:\n"),
            ("  success:\n", "  amount:\n    type: number\n    description: Gift card amount.\n  success:\n"));
        var plan = Load(fixedPlan.Path);
        await using var store = await SqliteEventStore.OpenAsync(server.DatabasePath, TestContext.Current.CancellationToken);
        var replay = new QuarantineReplay(new EventPipeline(plan, new PipelineOptions { HashSalt = server.Salt }, new OptOutRegistry()), store);
        var eventsBefore = await store.CountEventsAsync(new(), TestContext.Current.CancellationToken);

        var first = await replay.RunAsync(TestContext.Current.CancellationToken);
        var second = await replay.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal((4, 3, 0, 1), (first.Examined, first.Stored, first.AlreadyStored, first.StillFailing));
        Assert.Equal(1, first.StillFailingByReason["missing_property"]);
        foreach (var id in gapIds) Assert.True(await store.ContainsEventAsync(id, TestContext.Current.CancellationToken), $"{id} was not moved to the store");
        var quarantine = new List<string>();
        await foreach (var q in store.ReadQuarantineAsync(TestContext.Current.CancellationToken)) quarantine.Add(q.EventId);
        Assert.Equal([stillBroken["messageId"]!.GetValue<string>()], quarantine);

        Assert.Equal((1, 0, 0, 1), (second.Examined, second.Stored, second.AlreadyStored, second.StillFailing));
        Assert.Equal(eventsBefore + 3, await store.CountEventsAsync(new(), TestContext.Current.CancellationToken));

        var events = new List<Tally.Core.Events.CollectedEvent>();
        await foreach (var e in store.ReadEventsAsync(new(), TestContext.Current.CancellationToken)) events.Add(e);
        var subscribed = events.Single(e => e.EventId == gapIds[0]);
        // Hashed once at ingest and kept as it was: a replay that hashed again would store HMAC(HMAC(email)).
        Assert.Equal(new PropertyHasher(server.Salt).Hash(Email), JsonNode.Parse(subscribed.PropertiesJson)!["contactEmail"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse(whatsapp["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture), subscribed.Timestamp);
        Assert.Equal(posted.RequestId, subscribed.RequestId);
        // The unknown event's amount was hashed in quarantine (nobody had vetted it) and its value never kept: a hash
        // must not be stored as the number the fixed plan declares, so it is left out.
        var viewed = JsonNode.Parse(events.Single(e => e.EventId == gapIds[2]).PropertiesJson)!.AsObject();
        Assert.False(viewed.ContainsKey("amount"), viewed.ToJsonString());
        // Its requestId is defined plan-wide (pii: allow), so quarantine kept it under that policy and it came back whole.
        Assert.Equal(giftCardViewed["properties"]!["requestId"]!.GetValue<string>(), viewed["requestId"]!.GetValue<string>());
        Assert.Equal(giftCardViewed["properties"]!["sessionId"]!.GetValue<string>(), events.Single(e => e.EventId == gapIds[2]).SessionId);
    }

    private static TrackingPlan Load(string path)
    {
        var loaded = PlanLoader.LoadFile(path);
        Assert.False(loaded.HasErrors, string.Join("; ", loaded.Diagnostics));
        return loaded.Plan!;
    }
}
