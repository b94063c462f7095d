using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Collector;

/// <summary>Where a write key may travel (Segment SDKs use all three) and who may send events.</summary>
public sealed class WriteKeyTests(AuroraServer fixture) : IClassFixture<AuroraServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_write_key_as_the_basic_user_name_is_accepted()
    {
        var posted = await Server.SendAsync("/v1/track", Json(Some.WidgetOpen().ToJsonString()), "application/json", basicKey: Server.WriteKey);

        posted.ShouldBeIngested(accepted: 1);
        Assert.Single(await Server.EventsOfAsync(posted.RequestId));
    }

    [Fact]
    public async Task A_write_key_in_the_x_write_key_header_is_accepted()
    {
        var posted = await Server.SendAsync("/v1/track", Json(Some.WidgetOpen().ToJsonString()), "application/json", basicKey: null,
            r => r.Headers.Add("X-Write-Key", Server.WriteKey));

        posted.ShouldBeIngested(accepted: 1);
        Assert.Single(await Server.EventsOfAsync(posted.RequestId));
    }

    [Fact]
    public async Task A_write_key_in_the_body_is_accepted()
    {
        var body = new System.Text.Json.Nodes.JsonObject { ["writeKey"] = Server.WriteKey, ["batch"] = new System.Text.Json.Nodes.JsonArray(Some.WidgetOpen()) };

        var posted = await Server.SendAsync("/v1/batch", Json(body.ToJsonString()), "application/json", basicKey: null);

        posted.ShouldBeIngested(accepted: 1);
        Assert.Single(await Server.EventsOfAsync(posted.RequestId));
    }

    [Fact]
    public async Task Events_without_a_write_key_are_refused_with_401_and_not_stored()
    {
        var posted = await Server.SendAsync("/v1/batch", Json(Some.Batch(Some.WidgetOpen())), "application/json", basicKey: null);

        posted.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        await AssertNothingStored(posted);
    }

    [Fact]
    public async Task An_unknown_write_key_is_refused_with_401_wherever_it_is_sent()
    {
        var inHeader = await Server.SendAsync("/v1/track", Json(Some.WidgetOpen().ToJsonString()), "application/json", basicKey: "wk_not_a_key");
        var body = new System.Text.Json.Nodes.JsonObject { ["writeKey"] = "wk_not_a_key", ["batch"] = new System.Text.Json.Nodes.JsonArray(Some.WidgetOpen()) };
        var inBody = await Server.SendAsync("/v1/batch", Json(body.ToJsonString()), "application/json", basicKey: null);

        inHeader.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        inBody.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        await AssertNothingStored(inHeader);
        await AssertNothingStored(inBody);
    }

    [Fact]
    public async Task An_analyst_key_cannot_send_events()
    {
        var posted = await Server.SendAsync("/v1/batch", Json(Some.Batch(Some.WidgetOpen())), "application/json", basicKey: null,
            r => r.Headers.Authorization = TestServer.Bearer(Server.AnalystKey));

        posted.ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
        await AssertNothingStored(posted);
    }

    [Fact]
    public async Task A_viewer_key_cannot_send_events_either()
    {
        var posted = await Server.SendAsync("/v1/track", Json(Some.WidgetOpen().ToJsonString()), "application/json", basicKey: Server.ViewerKey);

        posted.ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
        await AssertNothingStored(posted);
    }

    private async Task AssertNothingStored(Posted posted)
    {
        Assert.Empty(await Server.EventsOfAsync(posted.RequestId));
        Assert.Empty(await Server.QuarantineOfAsync(posted.RequestId));
    }

    private static ByteArrayContent Json(string s) => new(Encoding.UTF8.GetBytes(s));
}
