using System.Net;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Collector;

/// <summary>Browser SDKs post from customers' sites, so the collector answers CORS preflights.</summary>
public sealed class CorsTests(AuroraServer fixture) : IClassFixture<AuroraServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_preflight_for_a_batch_is_answered_with_the_allowed_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/batch");
        request.Headers.Add("Origin", "https://shop.aurora.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");

        using var response = await Server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK, $"preflight answered {(int)response.StatusCode}");
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("authorization", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_cross_origin_post_carries_the_allowed_origin_and_exposes_the_request_id()
    {
        var posted = await Server.SendAsync("/v1/batch", new StringContent(Some.Batch(Some.WidgetOpen())), "text/plain", Server.WriteKey,
            r => r.Headers.Add("Origin", "https://shop.aurora.example"));

        posted.ShouldBeIngested(accepted: 1);
        Assert.Equal("*", Assert.Single(posted.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("x-request-id", string.Join(",", posted.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.Single(await Server.EventsOfAsync(posted.RequestId));
    }
}
