using System.Net;
using System.Text.Json;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Observability;

/// <summary><c>/metrics</c> in the Prometheus text format, counting every outcome by its reason; <c>/healthz</c>.</summary>
public sealed class MetricsTests(SampledSkillForgeServer fixture) : IClassFixture<SampledSkillForgeServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Every_outcome_is_counted_by_environment_event_and_reason()
    {
        var before = await Metrics.ScrapeAsync(Server);
        var user = Some.Id("usr");
        var duplicate = Some.SkillForge("resume_parsed", user);
        var unknown = Some.SkillForge("resume_uploaded", user);
        var samples = Enumerable.Range(0, 20).Select(i => Some.SkillForge("career_match_viewed", Some.Id("usr"), anonymousId: $"anon-metrics-{i}")).ToArray();
        var optedOut = Some.Id("usr");

        var posted = new List<Posted>
        {
            await Server.PostAsync("/v1/events", Some.Array(Some.SkillForge("session_started", user), duplicate, unknown)),
            await Server.PostAsync("/v1/events", duplicate.ToJsonString()),
            await Server.PostAsync("/v1/events", Some.Array(samples)),
            await Server.PostAsync("/v1/events", Some.SkillForge("settings_tracking_opt_out", optedOut, optOut: true).ToJsonString()),
            await Server.PostAsync("/v1/events", Some.SkillForge("session_started", optedOut).ToJsonString()),
        };
        var after = await Metrics.ScrapeAsync(Server);

        double Delta(string series) => after[series] - before[series];
        var sampledOut = posted[2].Count("dropped");
        Assert.InRange(sampledOut, 1, 19);
        Assert.Equal(1, Delta("analytics_events_ingested_total{environment=\"production\",event=\"session_started\"}"));
        Assert.Equal(1, Delta("analytics_events_ingested_total{environment=\"production\",event=\"resume_parsed\"}"));
        Assert.Equal(20 - sampledOut, Delta("analytics_events_ingested_total{environment=\"production\",event=\"career_match_viewed\"}"));
        Assert.Equal(1, Delta("analytics_events_ingested_total{environment=\"production\",event=\"settings_tracking_opt_out\"}"));
        Assert.Equal(1, Delta("analytics_events_quarantined_total{reason=\"unknown_event\"}"));
        Assert.Equal(1, Delta("analytics_events_dropped_total{reason=\"duplicate\"}"));
        Assert.Equal(sampledOut, Delta("analytics_events_dropped_total{reason=\"sampling\"}"));
        Assert.Equal(1, Delta("analytics_events_dropped_total{reason=\"opt_out\"}"));
        // The counters agree with the store.
        Assert.Equal(20 - sampledOut, (await Server.EventsOfAsync(posted[2].RequestId)).Count);
    }

    [Fact]
    public async Task Request_durations_are_a_histogram_and_freshness_a_gauge()
    {
        var before = await Metrics.ScrapeAsync(Server);
        for (var i = 0; i < 3; i++)
            (await Server.PostAsync("/v1/events", Some.SkillForge("session_started", Some.Id("usr")).ToJsonString())).ShouldBeIngested(accepted: 1);

        var after = await Metrics.ScrapeAsync(Server);

        Assert.Contains("# TYPE analytics_http_request_duration_seconds histogram", after.Text);
        Assert.True(after["analytics_http_request_duration_seconds_bucket{le=\"+Inf\"}"] - before["analytics_http_request_duration_seconds_bucket{le=\"+Inf\"}"] >= 3);
        Assert.True(after["analytics_http_request_duration_seconds_count"] >= 3);
        Assert.True(after["analytics_http_request_duration_seconds_bucket{le=\"5\"}"] <= after["analytics_http_request_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.True(after["analytics_http_requests_total{route=\"/v1/events\",status=\"200\"}"] - before["analytics_http_requests_total{route=\"/v1/events\",status=\"200\"}"] >= 3);
        Assert.Contains("# TYPE analytics_data_freshness_seconds gauge", after.Text);
        Assert.True(after.Series.ContainsKey("analytics_data_freshness_seconds"));
        Assert.InRange(after["analytics_data_freshness_seconds"], 0, 5); // every answered request is committed
    }

    [Fact]
    public async Task Healthz_answers_200_with_the_plan_it_enforces()
    {
        using var response = await Server.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("ok", "skillforge"), (body.RootElement.GetProperty("status").GetString(), body.RootElement.GetProperty("plan").GetString()));
    }
}
