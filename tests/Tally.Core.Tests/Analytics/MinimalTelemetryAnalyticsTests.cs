using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;
using static Tally.Core.Tests.Analytics.Stored;

namespace Tally.Core.Tests.Analytics;

/// <summary>
/// plans/minimal-telemetry.yaml's KPIs over two days of pre-counted, actor-less payloads. Expected numbers were
/// worked out by hand from the list below.
/// </summary>
public class MinimalTelemetryAnalyticsTests
{
    private static readonly TrackingPlan Plan = SeedPlans.Load("minimal-telemetry.yaml");

    private static AnalyticsEvent C(string name, int day, long count, string json) => Event(name, Utc(2026, 3, day), json: json, count: count);

    private static readonly AnalyticsEvent[] Events =
    [
        C("event_signup", 2, 5, """{"event_id":"e1","source":"web"}"""),
        C("event_signup", 2, 1, """{"event_id":"e1","source":"admin"}"""),
        C("event_signup", 3, 2, """{"event_id":"e2"}"""),
        C("event_signup", 4, 9, """{"event_id":"e1","source":"web"}"""), // after the range
        C("directory_page_view", 2, 10, """{"event_id":"e1","source":"web"}"""),
        C("directory_page_view", 3, 4, """{"event_id":"e1","source":"web"}"""),
        C("profile_visibility_toggled", 3, 1, """{"event_id":"e2","source":"web"}"""),
        C("consent_changed", 2, 3, """{"event_id":"e1","state":"on","source":"web"}"""),
        C("consent_changed", 2, 1, """{"event_id":"e1","state":"off","source":"web"}"""),
        C("consent_changed", 3, 2, """{"event_id":"e1","state":"on","source":"web"}"""),
        C("api_request", 2, 100, """{"endpoint":"/events"}"""),
        C("api_request", 3, 50, """{"endpoint":"/events"}"""),
        C("api_request", 2, 40, """{"endpoint":"/directory"}"""),
        C("api_error", 2, 3, """{"endpoint":"/events","status_code":500}"""),
        C("api_error", 3, 6, """{"endpoint":"/events","status_code":404}"""),
    ];

    private static KpiResult Kpi(string name) => KpiEngine.Run(Events, IdentityGraph.Empty, Plan.Kpis.Single(k => k.Name == name), TwoDays);

    private static (string, double?)[] Groups(KpiResult r) => r.Groups.Select(g => (g.Key, g.Value)).ToArray();

    [Fact]
    public void Signups_per_day_sum_pre_counted_payloads_per_event_and_source()
    {
        // 5 + 1 on day 1, 2 on day 2 (the 9 on 4 March are outside): 8 over 2 days.
        var r = Kpi("signups_per_day");
        Assert.Equal((8L, 2L, 4.0), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 6), new KpiPoint("2026-03-03", 2)], r.Series);
        Assert.Equal([("event_id=e1, source=admin", 0.5), ("event_id=e1, source=web", 2.5), ("event_id=e2, source=(none)", 1.0)], Groups(r));
    }

    [Fact]
    public void Page_views_searches_and_toggles_per_day()
    {
        Assert.Equal(7.0, Kpi("directory_page_views_per_day").Value); // 14 over 2 days
        var searches = Kpi("directory_searches_per_day");
        Assert.Equal((0.0, 0), (searches.Value, searches.Groups.Count)); // none sent: zero, not missing
        Assert.Equal(0.5, Kpi("profile_visibility_toggles_per_day").Value); // 1 over 2 days
    }

    [Fact]
    public void Consent_changes_count_on_and_off_apart()
    {
        // on: 3 + 2, off: 1.
        var r = Kpi("consent_changes_per_day");
        Assert.Equal(3.0, r.Value);
        Assert.Equal([("event_id=e1, state=off, source=web", 0.5), ("event_id=e1, state=on, source=web", 2.5)], Groups(r));
    }

    [Fact]
    public void Error_rate_by_status_divides_by_all_requests_to_the_endpoint()
    {
        // 9 errors over 190 requests. Requests carry no status code, so each status of /events is over its 150
        // requests, and the endpoint's rows add up: 3/150 + 6/150 = 9/150. /directory had 40 requests, no error.
        var r = Kpi("error_rate");
        Assert.Equal((9L, 190L), (r.Numerator, r.Denominator));
        Assert.Equal(
            [("endpoint=/directory, status_code=*", 0.0), ("endpoint=/events, status_code=*", 9.0 / 150),
             ("endpoint=/events, status_code=404", 6.0 / 150), ("endpoint=/events, status_code=500", 3.0 / 150)],
            Groups(r));
        Assert.Equal([new KpiPoint("2026-03-02", 3.0 / 140), new KpiPoint("2026-03-03", 6.0 / 50)], r.Series);
    }
}
