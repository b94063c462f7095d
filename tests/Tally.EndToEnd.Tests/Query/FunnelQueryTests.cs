using System.Net;
using System.Text.Json;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Query;

/// <summary><c>POST /v1/query/funnel</c> and <c>GET /v1/funnels/{name}</c> over the sessions of <see cref="QueryServer"/>.</summary>
public sealed class FunnelQueryTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    private string Analyst => fixture.Server.AnalystKey;

    private const string TrackOrderFunnel = """
        {"steps":[{"event":"aurora_intent_detected","where":{"intent":"track_order"}},{"event":"aurora_order_tracked"}],
         "window":"30m","unit":"session","from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z"}
        """;

    [Fact]
    public async Task An_ad_hoc_funnel_counts_the_sessions_that_reached_each_step()
    {
        var answer = await fixture.PostJsonAsync("/v1/query/funnel", TrackOrderFunnel, Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var steps = answer.Json.GetProperty("steps").EnumerateArray().ToList();
        // Step 1 in range: s1, s2, s5, s6 (s4 started the day before). Step 2 within 30 minutes: s1 (10 min) and
        // s5 (20 min, after the day's end); s2 took 45 minutes, s6 tracked before asking.
        Assert.Equal(["aurora_intent_detected", "aurora_order_tracked"], steps.Select(s => s.GetProperty("event").GetString()));
        Assert.Equal([4L, 2L], steps.Select(s => s.GetProperty("actors").GetInt64()));
        Assert.Equal(0.5, steps[1].GetProperty("conversionFromPrevious").GetDouble());
        Assert.Equal(JsonValueKind.Null, steps[0].GetProperty("conversionFromPrevious").ValueKind);
        // The median of 600 s (s1) and 1,200 s (s5).
        Assert.Equal(900, steps[1].GetProperty("medianSecondsFromPrevious").GetDouble());
        Assert.Equal("aurora_intent_detected(intent=track_order)", steps[0].GetProperty("filter").GetString());
        Assert.Equal(1, answer.Json.GetProperty("completesAfterRangeEnd").GetInt64());
        Assert.Equal("session", answer.Json.GetProperty("unit").GetString());
        Assert.Equal("30m", answer.Json.GetProperty("window").GetString());
        Assert.Equal(JsonValueKind.Null, answer.Json.GetProperty("funnel").ValueKind);
    }

    [Fact]
    public async Task An_ad_hoc_funnel_takes_its_range_from_the_query_string_when_the_body_has_none()
    {
        const string body = """{"steps":["aurora_intent_detected","aurora_order_tracked"],"window":"1h"}""";

        var answer = await fixture.PostJsonAsync("/v1/query/funnel?from=2026-01-01&to=2026-01-02", body, Analyst);

        // Any intent, within an hour: s1, s2 (45 min), s3 and s5 reach step 2; s6 tracked before asking.
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal([5L, 4L], answer.Json.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("actors").GetInt64()));
    }

    [Fact]
    public async Task A_plan_funnel_is_computed_with_the_plan_window_and_medians_of_the_chain_of_record()
    {
        var answer = await fixture.GetAsync("/v1/funnels/product_engagement?from=2026-03-01&to=2026-03-02", Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var steps = answer.Json.GetProperty("steps").EnumerateArray().ToList();
        // p1 shortlisted 40 minutes after opening (window 30m); p2 went all the way.
        Assert.Equal([2L, 2L, 1L], steps.Select(s => s.GetProperty("actors").GetInt64()));
        // Open to shown: 180 s for p1 (its later showing) and 300 s for p2.
        Assert.Equal(240, steps[1].GetProperty("medianSecondsFromPrevious").GetDouble());
        Assert.Equal(300, steps[2].GetProperty("medianSecondsFromPrevious").GetDouble());
        Assert.Equal("product_engagement", answer.Json.GetProperty("funnel").GetString());
        Assert.Equal("2026-03-01T00:00:00+00:00", answer.Json.GetProperty("from").GetString());
    }

    [Fact]
    public async Task An_unknown_funnel_is_404_with_a_suggestion()
    {
        var answer = await fixture.GetAsync("/v1/funnels/product_engagment", Analyst);

        answer.ShouldBeError(HttpStatusCode.NotFound, "not_found");
        Assert.Contains("did you mean 'product_engagement'?", answer.Json.GetProperty("message").GetString());
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { """{"steps":[{"event":"aurora_intent_detected"}],"window":"30m"}""", "too_few_steps", "at least 2 steps" },
        { """{"steps":[{"event":"aurora_intent_detectd"},{"event":"aurora_order_tracked"}]}""", "unknown_event", "did you mean 'aurora_intent_detected'?" },
        { """{"steps":["aurora_intent_detected","aurora_order_tracked"],"window":"half an hour"}""", "bad_window", "'window'" },
        { """{"steps":["aurora_intent_detected","aurora_order_tracked"],"unit":"event"}""", "bad_unit", "'unit'" },
        { """{"steps":[{"event":"aurora_intent_detected","where":{"intnt":"x"}},"aurora_order_tracked"]}""", "unknown_property", "did you mean 'intent'?" },
        { """{"steps":["aurora_intent_detected","aurora_order_tracked"],"windw":"30m"}""", "unknown_field", "did you mean 'window'?" },
        { """{"steps":["aurora_intent_detected","aurora_order_tracked"],"from":"yesterday"}""", "bad_range", "'from'" },
        { """{"steps":"aurora_intent_detected"}""", "bad_steps", "'steps'" },
        { """{"steps":[""", "malformed_json", "not JSON" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_funnel_body_is_400_naming_the_problem(string body, string code, string mentioned)
    {
        var answer = await fixture.PostJsonAsync("/v1/query/funnel", body, Analyst);

        answer.ShouldBeError(HttpStatusCode.BadRequest, code);
        Assert.Contains(mentioned, answer.Json.GetProperty("message").GetString());
    }
}
