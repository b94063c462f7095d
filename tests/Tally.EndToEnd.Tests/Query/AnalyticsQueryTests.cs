using System.Net;
using System.Text.Json;

namespace Tally.EndToEnd.Tests.Query;

/// <summary><c>GET /v1/kpis</c>, <c>/v1/attribution</c>, <c>/v1/journeys</c> and <c>/v1/counts</c> over the sessions of <see cref="QueryServer"/>.</summary>
public sealed class AnalyticsQueryTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    private string Analyst => fixture.Server.AnalystKey;

    [Fact]
    public async Task A_ratio_kpi_divides_the_events_of_the_range()
    {
        var answer = await fixture.GetAsync("/v1/kpis/order_tracking_success?from=2026-01-01&to=2026-01-02", Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var kpi = answer.Json;
        // Orders tracked on the day: s1, s2, s3, s4, s6 (s5's came after midnight). Track-order intents: s1, s2, s5, s6.
        Assert.Equal(5, kpi.GetProperty("numerator").GetInt64());
        Assert.Equal(4, kpi.GetProperty("denominator").GetInt64());
        Assert.Equal(1.25, kpi.GetProperty("value").GetDouble());
        Assert.Equal("ratio", kpi.GetProperty("kind").GetString());
        Assert.Equal([("2026-01-01", 1.25)], kpi.GetProperty("series").EnumerateArray().Select(p => (p.GetProperty("t").GetString(), p.GetProperty("value").GetDouble())));
    }

    [Fact]
    public async Task The_kpi_list_holds_every_kpi_of_the_plan_once_with_the_range_given_once()
    {
        var answer = await fixture.GetAsync("/v1/kpis?from=2026-01-01&to=2026-01-02", Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(fixture.Server.Plan.Kpis.Select(k => k.Name), answer.Json.GetProperty("kpis").EnumerateArray().Select(k => k.GetProperty("name").GetString()));
        Assert.Equal("2026-01-01T00:00:00+00:00", answer.Json.GetProperty("from").GetString());
        Assert.All(answer.Json.GetProperty("kpis").EnumerateArray(), k => Assert.False(k.TryGetProperty("from", out _)));
        var tickets = answer.Json.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "ticket_escalation_load");
        Assert.Equal(0, tickets.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Attribution_credits_each_conversion_to_the_last_intent_of_its_session_within_30_minutes()
    {
        var answer = await fixture.GetAsync("/v1/attribution/intent_credit?from=2026-01-01&to=2026-01-02", Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var a = answer.Json;
        // s1 and s4 (whose intent came the evening before) credit track_order, s3 find_product; s2 came 45 minutes
        // after its intent and s6 tracked before asking.
        Assert.Equal((5L, 3L, 2L), (a.GetProperty("conversions").GetInt64(), a.GetProperty("attributed").GetInt64(), a.GetProperty("unattributed").GetInt64()));
        Assert.Equal([("track_order", 2L), ("find_product", 1L)],
            a.GetProperty("credits").EnumerateArray().Select(c => (c.GetProperty("value").GetString(), c.GetProperty("conversions").GetInt64())));
        var tracked = a.GetProperty("byConversionEvent").EnumerateArray().Single(c => c.GetProperty("conversion").GetString() == "aurora_order_tracked");
        Assert.Equal(5, tracked.GetProperty("conversions").GetInt64());
    }

    [Fact]
    public async Task A_journey_counts_starts_completions_and_each_step()
    {
        var answer = await fixture.GetAsync("/v1/journeys/track_my_order?from=2026-02-01&to=2026-02-02", Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var j = answer.Json;
        // j1 went through, skipping the optional updates subscription; j2 only opened the widget.
        Assert.Equal((2L, 1L), (j.GetProperty("started").GetInt64(), j.GetProperty("completed").GetInt64()));
        Assert.Equal([2L, 1L, 1L, 0L, 1L], j.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("reached").GetInt64()));
        Assert.Equal([false, false, false, true, false], j.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("optional").GetBoolean()));
    }

    [Fact]
    public async Task The_journey_list_holds_every_journey_of_the_plan()
    {
        var answer = await fixture.GetAsync("/v1/journeys?from=2026-02-01&to=2026-02-02", Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var journeys = answer.Json.GetProperty("journeys").EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!);
        Assert.Equal(fixture.Server.Plan.Journeys.Select(j => j.Name).Order(), journeys.Keys.Order());
        Assert.Equal(1, journeys["track_my_order"].GetProperty("completed").GetInt64());
        Assert.Equal((2L, 0L), (journeys["find_my_ring"].GetProperty("started").GetInt64(), journeys["find_my_ring"].GetProperty("completed").GetInt64()));
    }

    [Fact]
    public async Task Counts_list_every_day_of_the_range()
    {
        var answer = await fixture.GetAsync("/v1/counts?event=aurora_order_tracked&from=2026-01-01&to=2026-01-03&granularity=day", Analyst);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(6, answer.Json.GetProperty("total").GetInt64());
        Assert.Equal([("2026-01-01", 5L), ("2026-01-02", 1L)], Series(answer.Json));
    }

    [Fact]
    public async Task Counts_by_hour_and_of_every_event()
    {
        var hourly = await fixture.GetAsync("/v1/counts?event=aurora_order_tracked&from=2026-01-01T10:00:00Z&to=2026-01-01T12:00:00Z&granularity=hour", Analyst);
        var all = await fixture.GetAsync("/v1/counts?from=2025-12-31&to=2026-01-03", Analyst);

        Assert.Equal([("2026-01-01T10:00", 1L), ("2026-01-01T11:00", 1L)], Series(hourly.Json));
        // Dec 31: s4's intent. Jan 1: five intents and five orders tracked. Jan 2: s5's order.
        Assert.Equal([("2025-12-31", 1L), ("2026-01-01", 10L), ("2026-01-02", 1L)], Series(all.Json));
        Assert.Equal(JsonValueKind.Null, all.Json.GetProperty("event").ValueKind);
    }

    [Fact]
    public async Task Without_a_range_the_last_7_days_are_answered()
    {
        var before = DateTimeOffset.UtcNow;
        var answer = await fixture.GetAsync("/v1/counts", Analyst);
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var to = answer.Json.GetProperty("to").GetDateTimeOffset();
        Assert.Contains(to, new[] { before, after }.Select(t => new DateTimeOffset(t.UtcDateTime.Date.AddDays(1), TimeSpan.Zero)));
        Assert.Equal(to.AddDays(-7), answer.Json.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(7, answer.Json.GetProperty("series").GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/counts?event=aurora_ordr_tracked", "unknown_event")]
    [InlineData("/v1/counts?granularity=week", "bad_granularity")]
    [InlineData("/v1/kpis?from=2026-02-01&to=2026-01-01", "bad_range")]
    [InlineData("/v1/journeys?to=next-tuesday", "bad_range")]
    public async Task A_bad_query_is_400_naming_the_problem(string path, string code)
    {
        var answer = await fixture.GetAsync(path, Analyst);

        answer.ShouldBeError(HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("/v1/kpis/shortlist_conversion_rat")]
    [InlineData("/v1/journeys/track_my_ordr")]
    [InlineData("/v1/attribution/intent_credt")]
    public async Task An_unknown_name_is_404_with_a_suggestion(string path)
    {
        var answer = await fixture.GetAsync(path, Analyst);

        answer.ShouldBeError(HttpStatusCode.NotFound, "not_found");
        Assert.Contains("did you mean", answer.Json.GetProperty("message").GetString());
    }

    private static IEnumerable<(string?, long)> Series(JsonElement counts) =>
        counts.GetProperty("series").EnumerateArray().Select(p => (p.GetProperty("t").GetString(), p.GetProperty("count").GetInt64()));
}
