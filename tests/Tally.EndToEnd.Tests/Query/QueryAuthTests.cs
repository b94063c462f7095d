using System.Net;

namespace Tally.EndToEnd.Tests.Query;

/// <summary>Who may query: analysts and admins everything, viewers the plan's aggregated figures (not ad-hoc funnels), writers nothing.</summary>
public sealed class QueryAuthTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    private const string AdhocBody = """{"steps":["aurora_intent_detected","aurora_order_tracked"]}""";

    public static TheoryData<string> Paths => new(
        "/v1/funnels/product_engagement", "/v1/query/funnel", "/v1/kpis", "/v1/kpis/order_tracking_success",
        "/v1/attribution/intent_credit", "/v1/journeys", "/v1/journeys/track_my_order", "/v1/counts");

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Without_a_key_a_query_is_401(string path)
    {
        var answer = await Send(path, key: null);

        answer.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task With_a_writer_key_a_query_is_403(string path)
    {
        var answer = await Send(path, fixture.Server.WriteKey);

        answer.ShouldBeError(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task An_unknown_key_is_401(string path)
    {
        var answer = await Send(path, "ak_not_configured");

        answer.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("/v1/funnels/product_engagement", HttpStatusCode.OK)]
    [InlineData("/v1/kpis", HttpStatusCode.OK)]
    [InlineData("/v1/kpis/order_tracking_success", HttpStatusCode.OK)]
    [InlineData("/v1/counts", HttpStatusCode.OK)]
    [InlineData("/v1/attribution/intent_credit", HttpStatusCode.OK)]
    [InlineData("/v1/journeys", HttpStatusCode.OK)]
    [InlineData("/v1/journeys/track_my_order", HttpStatusCode.OK)]
    [InlineData("/v1/query/funnel", HttpStatusCode.Forbidden)]
    public async Task A_viewer_key_reads_the_plans_aggregated_figures_only(string path, HttpStatusCode expected)
    {
        var answer = await Send(path, fixture.Server.ViewerKey);

        Assert.True(answer.Status == expected, $"{path}: expected {(int)expected}, got {(int)answer.Status}: {answer.Body}");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task An_analyst_key_reads_everything(string path)
    {
        var answer = await Send(path, fixture.Server.AnalystKey);

        Assert.True(answer.Status == HttpStatusCode.OK, $"{path}: {(int)answer.Status} {answer.Body}");
    }

    private Task<Tally.EndToEnd.Tests.Support.Posted> Send(string path, string? key) =>
        path == "/v1/query/funnel" ? fixture.PostJsonAsync(path, AdhocBody, key) : fixture.GetAsync(path, key);

    [Fact]
    public async Task A_viewer_gets_attribution_without_values_credited_with_fewer_conversions_than_the_threshold()
    {
        var analyst = await Send("/v1/attribution/intent_credit?from=2025-12-01T00:00:00Z&to=2026-04-01T00:00:00Z", fixture.Server.AnalystKey);
        var viewer = await Send("/v1/attribution/intent_credit?from=2025-12-01T00:00:00Z&to=2026-04-01T00:00:00Z", fixture.Server.ViewerKey);

        // The fixture's few sessions credit each value fewer than 5 times (the default threshold): all are small groups.
        var credits = analyst.Json.GetProperty("credits");
        Assert.NotEqual(0, credits.GetArrayLength());
        Assert.All(credits.EnumerateArray(), c => Assert.True(c.GetProperty("conversions").GetInt64() < 5));
        Assert.Equal(0, viewer.Json.GetProperty("credits").GetArrayLength());
        var byConversion = viewer.Json.GetProperty("byConversionEvent").EnumerateArray().Sum(b => b.GetProperty("credits").GetArrayLength());
        Assert.Equal(0, byConversion);
        var suppressed = analyst.Json.GetProperty("credits").GetArrayLength()
            + analyst.Json.GetProperty("byConversionEvent").EnumerateArray().Sum(b => b.GetProperty("credits").GetArrayLength());
        Assert.Equal(suppressed.ToString(), viewer.Headers.GetValues("x-tally-suppressed-groups").Single());
        Assert.False(analyst.Headers.Contains("x-tally-suppressed-groups"));
        // Totals are over everyone, not a group: the viewer sees them as the analyst does.
        Assert.Equal(analyst.Json.GetProperty("conversions").GetInt64(), viewer.Json.GetProperty("conversions").GetInt64());
    }
}
