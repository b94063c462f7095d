using System.Net;
using System.Text.Json;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Quarantine;

/// <summary><c>GET /v1/quarantine</c>: quarantined events grouped by reason, for analysts only.</summary>
public sealed class QuarantineApiTests(AuroraServer fixture) : IClassFixture<AuroraServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task An_analyst_sees_the_quarantine_grouped_by_reason()
    {
        var unknown = Some.Track("aurora_gift_card_viewed");
        var enum1 = Some.IntentDetected(intent: "buy_now");
        var enum2 = Some.IntentDetected(intent: "sell_now");
        var posted = await Server.PostAsync("/v1/batch", Some.Batch(unknown, enum1, enum2, Some.WidgetOpen()));
        posted.ShouldBeIngested(accepted: 1, quarantined: 3);

        var listing = await Get("/v1/quarantine?sample=100", TestServer.Bearer(Server.AnalystKey));

        Assert.Equal(HttpStatusCode.OK, listing.Status);
        var groups = listing.Json.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("reason").GetString()!);
        Assert.True(groups["enum_violation"].GetProperty("count").GetInt64() >= 2);
        Assert.True(groups["unknown_event"].GetProperty("count").GetInt64() >= 1);
        Assert.Equal(listing.Json.GetProperty("total").GetInt64(), groups.Values.Sum(g => g.GetProperty("count").GetInt64()));
        Assert.Equal(
            new[] { enum1, enum2 }.Select(e => e["messageId"]!.GetValue<string>()).Order(),
            Samples(groups["enum_violation"]).Where(s => s.GetProperty("requestId").GetString() == posted.RequestId).Select(s => s.GetProperty("eventId").GetString()).Order());
        var sample = Samples(groups["unknown_event"]).Single(s => s.GetProperty("eventId").GetString() == unknown["messageId"]!.GetValue<string>());
        Assert.Equal("aurora_gift_card_viewed", sample.GetProperty("eventName").GetString());
        Assert.Equal(JsonValueKind.Object, sample.GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task The_quarantine_without_a_key_is_answered_401()
    {
        var listing = await Get("/v1/quarantine", authorization: null);

        listing.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_quarantine_with_a_writer_key_is_answered_403()
    {
        var listing = await Get("/v1/quarantine", TestServer.Bearer(Server.WriteKey));

        listing.ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
    }

    private static IEnumerable<JsonElement> Samples(JsonElement group) => group.GetProperty("sample").EnumerateArray();

    private async Task<Posted> Get(string path, System.Net.Http.Headers.AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        using var response = await Server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return new Posted(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), "", response.Headers, response.Content.Headers);
    }
}
