using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Plans;
using Tally.Core.Storage;
using System.Text.Json;

namespace Tally.Storage.Tests.Contract;

/// <summary>
/// Seed 004's KPIs over aggregate-only events, which only the roll-up keeps: a small fixture sent through the pipeline
/// (so the roll-up gets exactly the dimensions the pipeline keeps), and every answer worked out by hand.
/// </summary>
public abstract partial class AnalyticsStoreContract
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Three whole days: 2026-03-02 up to, not including, 2026-03-05.</summary>
    private static readonly TimeRange TelemetryDays = new(Day1, Day1.AddDays(3));

    private async Task<TrackingPlan> LoadTelemetryFixtureAsync()
    {
        var plan = Load("minimal-telemetry.yaml");
        var pipeline = new EventPipeline(plan, new PipelineOptions { HashSalt = "test-salt-not-a-secret"u8.ToArray() }, new OptOutRegistry());
        var ctx = new IngestContext(Day1.AddDays(3).AddHours(12), "flat:/v1/events", "req-1", null);
        var events = new List<CollectedEvent>();
        var n = 0;
        void Send(string day, string name, long count, string fields)
        {
            var json = $$"""{"event_name":"{{name}}","event_date":"{{day}}","count":{{count}},"message_id":"m{{n++}}"{{fields}}}""";
            using var payload = JsonDocument.Parse(json);
            var outcome = pipeline.Process(payload.RootElement, ctx);
            events.Add(Assert.IsType<PipelineOutcome.Accepted>(outcome).Event);
        }

        // Day 1: E1 from the web twice (3 + 2), E2 from admin once, E1 with no source (and data that must not be kept).
        Send("2026-03-02", "event_signup", 3, ""","event_id":"E1","source":"web" """);
        Send("2026-03-02", "event_signup", 2, ""","event_id":"E1","source":"web","email":"ada@example.com","userId":"u-9" """);
        Send("2026-03-02", "event_signup", 1, ""","event_id":"E2","source":"admin" """);
        Send("2026-03-02", "event_signup", 1, ""","event_id":"E1" """);
        // Day 2: the other directory events.
        Send("2026-03-03", "event_signup", 4, ""","event_id":"E2","source":"admin" """);
        Send("2026-03-03", "directory_page_view", 10, ""","event_id":"E1","source":"web" """);
        Send("2026-03-03", "directory_search", 7, ""","event_id":"E1","source":"web","query":"secret search" """);
        Send("2026-03-03", "profile_visibility_toggled", 1, ""","event_id":"E2","source":"web" """);
        Send("2026-03-03", "consent_changed", 2, ""","event_id":"E1","state":"on","source":"web" """);
        Send("2026-03-03", "consent_changed", 1, ""","event_id":"E1","state":"off","source":"web" """);
        // Day 3: 100 + 50 requests, 3 + 2 + 5 errors.
        Send("2026-03-04", "api_request", 100, ""","endpoint":"/events","source":"web" """);
        Send("2026-03-04", "api_request", 50, ""","endpoint":"/search" """);
        Send("2026-03-04", "api_error", 3, ""","endpoint":"/events","status_code":500 """);
        Send("2026-03-04", "api_error", 2, ""","endpoint":"/events","status_code":404 """);
        Send("2026-03-04", "api_error", 5, ""","endpoint":"/search","status_code":500 """);
        // After the range: not counted.
        Send("2026-03-05", "event_signup", 9, ""","event_id":"E1","source":"web" """);

        Assert.All(events, e => Assert.True(e.AggregateOnly));
        var outcomes = await _store!.WriteAsync(new WriteBatch(events, [], []), Ct);
        Assert.All(outcomes.Events, o => Assert.Equal(WriteOutcome.Counted, o));
        return plan;
    }

    private async Task<KpiResult> TelemetryKpiAsync(TrackingPlan plan, string name) =>
        await Analytics.KpiAsync(plan.Kpis.Single(k => k.Name == name), TelemetryDays, Ct);

    private static void Group(KpiResult result, string key, long numerator, long denominator)
    {
        var group = Assert.Single(result.Groups, g => g.Key == key);
        Assert.Equal(numerator, group.Numerator);
        Assert.Equal(denominator, group.Denominator);
        Assert.Equal((double)numerator / denominator, group.Value!.Value, 9);
    }

    [Fact]
    public async Task Signups_per_day_of_aggregate_only_events_are_grouped_by_event_and_source()
    {
        var plan = await LoadTelemetryFixtureAsync();

        var signups = await TelemetryKpiAsync(plan, "signups_per_day");

        Assert.Equal(11, signups.Numerator);
        Assert.Equal(3, signups.Denominator);
        Assert.Equal([7.0, 4.0, 0.0], signups.Series.Select(p => p.Value!.Value));
        Assert.Equal(["event_id=E1, source=(none)", "event_id=E1, source=web", "event_id=E2, source=admin"], signups.Groups.Select(g => g.Key));
        Group(signups, "event_id=E1, source=(none)", 1, 3);
        Group(signups, "event_id=E1, source=web", 5, 3);
        Group(signups, "event_id=E2, source=admin", 5, 3);
    }

    [Fact]
    public async Task Directory_counts_per_day_of_aggregate_only_events_are_grouped_by_their_declared_properties()
    {
        var plan = await LoadTelemetryFixtureAsync();

        var views = await TelemetryKpiAsync(plan, "directory_page_views_per_day");
        var searches = await TelemetryKpiAsync(plan, "directory_searches_per_day");
        var toggles = await TelemetryKpiAsync(plan, "profile_visibility_toggles_per_day");
        var consent = await TelemetryKpiAsync(plan, "consent_changes_per_day");

        Assert.Equal([0.0, 10.0, 0.0], views.Series.Select(p => p.Value!.Value));
        Assert.Equal("event_id=E1, source=web", Assert.Single(views.Groups).Key);
        Group(views, "event_id=E1, source=web", 10, 3);
        Assert.Equal(7, searches.Numerator);
        Assert.Equal("event_id=E1, source=web", Assert.Single(searches.Groups).Key);
        Assert.Equal(1, toggles.Numerator);
        Assert.Equal("event_id=E2, source=web", Assert.Single(toggles.Groups).Key);
        Assert.Equal(3, consent.Numerator);
        Assert.Equal(["event_id=E1, state=off, source=web", "event_id=E1, state=on, source=web"], consent.Groups.Select(g => g.Key));
        Group(consent, "event_id=E1, state=off, source=web", 1, 3);
        Group(consent, "event_id=E1, state=on, source=web", 2, 3);
    }

    [Fact]
    public async Task Error_rate_of_aggregate_only_events_is_answered_by_endpoint_and_status_code()
    {
        var plan = await LoadTelemetryFixtureAsync();

        var rate = await TelemetryKpiAsync(plan, "error_rate");

        Assert.Equal(10, rate.Numerator);
        Assert.Equal(150, rate.Denominator);
        Assert.Equal(10.0 / 150, rate.Value!.Value, 9);
        // No requests on the first two days: no rate, rather than zero.
        Assert.Equal(3, rate.Series.Count);
        Assert.Null(rate.Series[0].Value);
        Assert.Null(rate.Series[1].Value);
        Assert.Equal(10.0 / 150, rate.Series[2].Value!.Value, 9);
        // api_request has no status code, so each group's errors are over all requests to its endpoint.
        Assert.Equal(
            ["endpoint=/events, status_code=*", "endpoint=/events, status_code=404", "endpoint=/events, status_code=500", "endpoint=/search, status_code=*", "endpoint=/search, status_code=500"],
            rate.Groups.Select(g => g.Key));
        Group(rate, "endpoint=/events, status_code=*", 5, 100);
        Group(rate, "endpoint=/events, status_code=404", 2, 100);
        Group(rate, "endpoint=/events, status_code=500", 3, 100);
        Group(rate, "endpoint=/search, status_code=*", 5, 50);
        Group(rate, "endpoint=/search, status_code=500", 5, 50);
    }

    [Fact]
    public async Task Roll_up_dimensions_hold_declared_properties_and_no_identifier_or_undeclared_data()
    {
        await LoadTelemetryFixtureAsync();

        var rows = await _store!.ReadRollupsAsync(new RollupQuery(), Ct);

        Assert.All(rows, r => Assert.NotEqual(RollupDimensions.None, r.Dimensions));
        Assert.DoesNotContain(rows, r => r.Dimensions.Contains("ada@", StringComparison.Ordinal) || r.Dimensions.Contains("u-9", StringComparison.Ordinal)
            || r.Dimensions.Contains("secret", StringComparison.Ordinal) || r.Dimensions.Contains("event_date", StringComparison.Ordinal));
        var web = rows.Where(r => r.Name == "event_signup" && r.Day == new DateOnly(2026, 3, 2) && r.Source == "web").ToList();
        Assert.Equal("""{"event_id":"E1","source":"web"}""", Assert.Single(web).Dimensions);
        Assert.Equal(5, web[0].Count);
    }
}
