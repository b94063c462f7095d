using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>plans/minimal-telemetry.yaml says everything seed 004 says, and collects nothing about a person.</summary>
public class MinimalTelemetryPlanTests
{
    /// <summary>
    /// The seed names metrics, not events ("Event signups per event per day", ...); these are the event per
    /// metric, in the seed's order, plus the request count the error rate needs as its denominator.
    /// </summary>
    private static readonly string[] MetricEvents =
        ["event_signup", "directory_page_view", "directory_search", "profile_visibility_toggled", "consent_changed", "api_request", "api_error"];

    private static readonly TrackingPlan Plan = SeedPlans.Load("minimal-telemetry.yaml");

    [Fact]
    public void Plan_has_one_event_per_seed_metric()
    {
        Assert.Equal(MetricEvents.Order(), Plan.Events.Select(e => e.Name).Order());
    }

    [Fact]
    public void Every_event_is_aggregate_only()
    {
        Assert.All(Plan.Events, e => Assert.True(e.AggregateOnly, e.Name));
    }

    [Fact]
    public void No_identifier_is_kept_and_undeclared_fields_are_dropped()
    {
        Assert.False(Plan.Identity.Identifiers);
        Assert.Null(Plan.Identity.Session);
        Assert.Null(Plan.Identity.MergeBy);
        Assert.Equal(UndeclaredPolicy.Drop, Plan.Privacy.Undeclared);
    }

    [Fact]
    public void Flat_envelope_reads_the_seed_schema_with_day_level_timestamps()
    {
        var env = Plan.Envelope;
        Assert.Equal(EnvelopeFormat.Flat, env.Format);
        Assert.Equal(("event_name", "event_date", "count", "source"), (env.Event, env.Timestamp, env.Count, env.Source));
        Assert.Equal("", env.Properties);
        var date = Assert.Single(Plan.Properties, p => p.Name == "event_date");
        Assert.Equal(PrivacyPolicy.Day, date.Privacy);
        Assert.Equal(["web", "admin"], Assert.Single(Plan.Properties, p => p.Name == "source").Values);
    }

    [Fact]
    public void The_seed_event_id_is_the_directory_event_counted_not_the_deduplication_key()
    {
        // Counts are "per event per day": de-duplicating on event_id would keep one payload per Event.
        Assert.NotEqual("event_id", Plan.Envelope.EventId);
        Assert.All(Plan.Events.Where(e => !e.Name.StartsWith("api_")), e => Assert.Contains("event_id", e.Required));
    }

    [Fact]
    public void Searches_carry_no_query_text_and_consent_only_its_direction()
    {
        var search = Plan.FindEvent("directory_search")!;
        // Only which Event's directory was searched, and from where: nothing the guest typed.
        Assert.Equal(["event_id", "source"], search.AllPropertyNames.Order());
        var consent = Plan.FindEvent("consent_changed")!;
        Assert.Equal(["on", "off"], Plan.ResolveProperty(consent, "state")!.Values);
    }

    [Fact]
    public void Aggregates_are_kept_180_days()
    {
        Assert.Equal(TimeSpan.FromDays(180), Plan.Defaults.AggregateRetention);
        Assert.All(Plan.Events, e => Assert.NotNull(Plan.RetentionOf(e)));
    }

    [Fact]
    public void Each_metric_is_counted_per_day_by_directory_event_and_source()
    {
        foreach (var name in MetricEvents.Where(n => !n.StartsWith("api_")))
        {
            var k = Assert.Single(Plan.Kpis, k => k.Event?.Event == name);
            Assert.Equal(KpiKind.CountPerDay, k.Kind);
            Assert.Contains("event_id", k.GroupBy);
            Assert.Contains("source", k.GroupBy);
        }
        Assert.Contains("state", Assert.Single(Plan.Kpis, k => k.Event?.Event == "consent_changed").GroupBy);
    }

    [Fact]
    public void Error_rate_is_errors_over_requests_by_endpoint_and_status_code()
    {
        var k = Assert.Single(Plan.Kpis, k => k.Kind == KpiKind.RateBy);
        Assert.Equal(("api_error", "api_request"), (k.Numerator!.Event, k.Denominator!.Event));
        Assert.Equal(["endpoint", "status_code"], k.GroupBy);
    }
}
