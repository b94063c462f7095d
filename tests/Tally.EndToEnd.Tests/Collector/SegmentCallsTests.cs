using System.Text.Json;
using System.Text.Json.Nodes;
using Tally.Core.Events;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Collector;

/// <summary>The Segment HTTP Tracking API: each call type on its own endpoint, and batches on /v1/batch and /v1/b.</summary>
public sealed class SegmentCallsTests(SegmentSiteServer fixture) : IClassFixture<SegmentSiteServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_track_call_is_stored_under_its_event_name_and_message_id()
    {
        var call = Some.WidgetOpen(sessionId: "sess-track");
        call.Remove("type"); // the endpoint names the call type

        var posted = await Server.PostAsync("/v1/track", call.ToJsonString());

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await Server.EventsOfAsync(posted.RequestId));
        Assert.Equal(("aurora_widget_open", "track"), (stored.Name, stored.Type));
        Assert.Equal(call["messageId"]!.GetValue<string>(), stored.EventId);
        Assert.Equal(call["anonymousId"]!.GetValue<string>(), stored.AnonymousId);
        Assert.Equal("sess-track", stored.SessionId);
        Assert.Equal("production", stored.Environment);
        Assert.Equal("launcher", Property(stored, "source").GetString());
    }

    [Fact]
    public async Task An_identify_call_links_the_anonymous_id_to_the_user_and_keeps_no_undeclared_traits()
    {
        var anonymousId = Some.Id("anon");
        var userId = Some.Id("user");
        var call = new JsonObject { ["messageId"] = Some.Id(), ["anonymousId"] = anonymousId, ["userId"] = userId, ["traits"] = new JsonObject { ["tier"] = "gold" } };

        var posted = await Server.PostAsync("/v1/identify", call.ToJsonString());

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await Server.EventsOfAsync(posted.RequestId));
        Assert.Equal(("$identify", "identify", userId), (stored.Name, stored.Type, stored.UserId));
        Assert.Equal("{}", stored.PropertiesJson);
        var link = Assert.Single(await Server.LinksAsync(), l => l.FromId == anonymousId);
        Assert.Equal((userId, IdentityLink.Identify), (link.ToUserId, link.Kind));
    }

    [Theory]
    [InlineData("page")]
    [InlineData("screen")]
    public async Task A_page_or_screen_call_is_stored_as_its_call_type(string type)
    {
        var call = new JsonObject
        {
            ["messageId"] = Some.Id(),
            ["anonymousId"] = Some.Id("anon"),
            ["name"] = "Ring finder",
            ["properties"] = new JsonObject { ["sessionId"] = "sess-" + type },
        };

        var posted = await Server.PostAsync($"/v1/{type}", call.ToJsonString());

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await Server.EventsOfAsync(posted.RequestId));
        Assert.Equal((type, type, "sess-" + type), (stored.Name, stored.Type, stored.SessionId));
    }

    [Fact]
    public async Task A_group_call_is_stored_as_a_group_event()
    {
        var userId = Some.Id("user");
        var call = new JsonObject { ["messageId"] = Some.Id(), ["userId"] = userId, ["groupId"] = "boutique-7", ["traits"] = new JsonObject { ["name"] = "Aurora Paris" } };

        var posted = await Server.PostAsync("/v1/group", call.ToJsonString());

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await Server.EventsOfAsync(posted.RequestId));
        Assert.Equal(("$group", "group", userId), (stored.Name, stored.Type, stored.UserId));
    }

    [Fact]
    public async Task An_alias_call_stores_an_alias_link_from_the_previous_id()
    {
        var previousId = Some.Id("old");
        var userId = Some.Id("user");
        var call = new JsonObject { ["messageId"] = Some.Id(), ["previousId"] = previousId, ["userId"] = userId };

        var posted = await Server.PostAsync("/v1/alias", call.ToJsonString());

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await Server.EventsOfAsync(posted.RequestId));
        Assert.Equal(("$alias", "alias", previousId), (stored.Name, stored.Type, stored.PreviousId));
        var link = Assert.Single(await Server.LinksAsync(), l => l.FromId == previousId);
        Assert.Equal((userId, IdentityLink.Alias), (link.ToUserId, link.Kind));
    }

    [Theory]
    [InlineData("/v1/batch")]
    [InlineData("/v1/b")]
    public async Task A_batch_stores_every_call_with_its_own_type(string path)
    {
        var track = Some.IntentDetected();
        var identify = new JsonObject { ["type"] = "identify", ["messageId"] = Some.Id(), ["anonymousId"] = Some.Id("anon"), ["userId"] = Some.Id("user") };
        var page = new JsonObject { ["type"] = "page", ["messageId"] = Some.Id(), ["anonymousId"] = Some.Id("anon") };

        var posted = await Server.PostAsync(path, Some.Batch(track, identify, page));

        posted.ShouldBeIngested(accepted: 3);
        var stored = (await Server.EventsOfAsync(posted.RequestId)).ToDictionary(e => e.EventId);
        Assert.Equal("aurora_intent_detected", stored[track["messageId"]!.GetValue<string>()].Name);
        Assert.Equal("$identify", stored[identify["messageId"]!.GetValue<string>()].Name);
        Assert.Equal("page", stored[page["messageId"]!.GetValue<string>()].Name);
        Assert.All(stored.Values, e => Assert.Equal($"segment:{path}", e.Source));
    }

    [Fact]
    public async Task The_client_clock_is_corrected_by_sent_at()
    {
        // The device clock is two hours fast: the event happened 30 s before it was sent, by that clock.
        var skewedNow = DateTimeOffset.UtcNow.AddHours(2);
        var call = Some.WidgetOpen();
        call["timestamp"] = Some.Iso(skewedNow.AddSeconds(-30));
        call["sentAt"] = Some.Iso(skewedNow);

        var posted = await Server.PostAsync("/v1/track", call.ToJsonString());

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await Server.EventsOfAsync(posted.RequestId));
        Assert.InRange((stored.ReceivedAt - stored.Timestamp).TotalMilliseconds, 29_998, 30_002);
        Assert.Null(stored.OriginalTimestamp);
    }

    [Fact]
    public async Task A_batch_sent_at_corrects_every_call_in_the_batch()
    {
        var skewedNow = DateTimeOffset.UtcNow.AddMinutes(-45); // this device's clock is slow
        var first = Some.WidgetOpen();
        var second = Some.IntentDetected();
        first["timestamp"] = Some.Iso(skewedNow.AddSeconds(-10));
        second["timestamp"] = Some.Iso(skewedNow.AddSeconds(-4));
        var body = new JsonObject { ["batch"] = new JsonArray(first, second), ["sentAt"] = Some.Iso(skewedNow) };

        var posted = await Server.PostAsync("/v1/batch", body.ToJsonString());

        posted.ShouldBeIngested(accepted: 2);
        var ages = (await Server.EventsOfAsync(posted.RequestId)).OrderBy(e => e.Timestamp).Select(e => (e.ReceivedAt - e.Timestamp).TotalSeconds).ToList();
        Assert.Equal(2, ages.Count);
        Assert.InRange(ages[0], 9.998, 10.002);
        Assert.InRange(ages[1], 3.998, 4.002);
    }

    private static JsonElement Property(CollectedEvent e, string name)
    {
        using var doc = JsonDocument.Parse(e.PropertiesJson);
        return doc.RootElement.GetProperty(name).Clone();
    }
}
