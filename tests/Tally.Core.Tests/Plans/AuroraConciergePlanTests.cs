using System.Text.RegularExpressions;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>plans/aurora-concierge.yaml says everything seed 000 says.</summary>
public partial class AuroraConciergePlanTests
{
    /// <summary>The seed's event catalog, copied as written: event, description, {required}, {optional} or -, PII policy.</summary>
    private const string SeedCatalog = """
        aurora_widget_open,Widget launcher opened,{sessionId,requestId,source},{userRole,entryPoint},No PII (session only)
        aurora_intent_detected,Widget detected/received intent,{sessionId,requestId,intent},{source,filters},No PII beyond intent
        aurora_intent_complete,Intent finished executing,{sessionId,requestId,intent},{durationMs,outcome},No PII beyond intent
        aurora_products_shown,Product carousel rendered,{sessionId,requestId,intent,productIds},{offerId,readyToShipCount},Product IDs allowed; no customer PII
        aurora_product_shortlisted,Product saved to shortlist,{sessionId,requestId,productId},{position,ctaId},No PII
        aurora_product_shortlist_error,Shortlist failure surfaced,{sessionId,requestId,productId},{error},No PII
        aurora_product_view,Guest clicked product detail,{sessionId,requestId,productId},{source},No PII
        aurora_order_tracked,Order timeline fetched,{sessionId,requestId,intent},{orderNumberHash,status},Hash order numbers; no raw identifiers
        aurora_return_initiated,Return/resize request submitted,{sessionId,requestId,orderNumberHash,option},{eligibilityState},Hash order numbers; no address data
        aurora_stylist_ticket_created,Human ticket created,{sessionId,requestId,ticketId},{priority,queue},{contactEmailHash}
        aurora_csat_submitted,CSAT rating completed,{sessionId,requestId,rating},{intent,commentLength},No raw comments stored; summarize length only
        aurora_order_updates_subscribed,Order update opt-in,{sessionId,requestId,channel},{orderNumberHash},{channel=email? store hash only}
        aurora_timeline_text_updates,Timeline SMS opted in via widget,{sessionId,requestId,success},{orderNumberHash},Hash order numbers
        aurora_timeline_text_updates_error,Timeline SMS opt-in failed,{sessionId,requestId},{error},No PII
        aurora_widget_close,Widget closed,{sessionId,requestId,source},-,No PII
        aurora_inline_track_order,Quick action tapped,{sessionId,requestId},-,No PII
        aurora_inline_stylist,Quick action tapped,{sessionId,requestId},-,No PII
        """;

    private static readonly TrackingPlan Plan = SeedPlans.Load("aurora-concierge.yaml");

    private static IEnumerable<(string Name, string[] Required, string[] Optional)> Catalog()
    {
        foreach (var line in SeedCatalog.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var m = CatalogRow().Match(line);
            Assert.True(m.Success, line);
            yield return (m.Groups["name"].Value, m.Groups["req"].Value.Split(','),
                m.Groups["opt"].Success ? m.Groups["opt"].Value.Split(',') : []);
        }
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+),[^,{]*,\{(?<req>[^}]*)\},(?:\{(?<opt>[^}]*)\}|-),")]
    private static partial Regex CatalogRow();

    [Fact]
    public void Plan_has_exactly_the_seventeen_events_of_the_seed_catalog()
    {
        var seed = Catalog().Select(r => r.Name).ToList();
        Assert.Equal(17, seed.Count);
        Assert.Equal(seed.Order(), Plan.Events.Select(e => e.Name).Order());
    }

    [Fact]
    public void Each_event_requires_what_the_seed_requires_and_accepts_its_optional_properties()
    {
        foreach (var (name, required, optional) in Catalog())
        {
            var e = Plan.FindEvent(name)!;
            Assert.Equal(required.Order(), e.Required.Order());
            foreach (var o in optional) Assert.Contains(o, e.Optional);
        }
    }

    [Fact]
    public void Client_hashes_are_accepted_as_hashes_and_raw_identifiers_are_hashed_on_arrival()
    {
        Assert.True(Shared("orderNumberHash").Prehashed);
        Assert.True(Shared("contactEmailHash").Prehashed);
        Assert.Equal(PrivacyPolicy.Hash, Shared("orderNumber").Privacy);
        Assert.Equal(PrivacyPolicy.Hash, Shared("contactEmail").Privacy);
        Assert.Equal(PrivacyPolicy.Hash, Shared("contactPhone").Privacy);
        // The ticket's PII column names {contactEmailHash}; the email order updates "store hash only".
        Assert.Contains("contactEmailHash", Plan.FindEvent("aurora_stylist_ticket_created")!.Optional);
        Assert.Contains("contactEmailHash", Plan.FindEvent("aurora_order_updates_subscribed")!.Optional);
    }

    [Fact]
    public void A_raw_csat_comment_is_reduced_to_its_length()
    {
        var csat = Plan.FindEvent("aurora_csat_submitted")!;
        Assert.Equal(PrivacyPolicy.Length, Plan.ResolveProperty(csat, "comment")!.Privacy);
        Assert.Equal(PropertyType.Integer, Plan.ResolveProperty(csat, "commentLength")!.Type);
    }

    [Fact]
    public void Shared_definitions_carry_the_seed_types_and_the_journey_intents()
    {
        Assert.Equal(PropertyType.Array, Shared("productIds").Type);
        Assert.Equal(PropertyType.String, Shared("productIds").Items!.Type);
        Assert.Equal(["sms", "email"], Shared("channel").Values);
        Assert.Contains("great", Shared("rating").Values);
        var intents = Shared("intent").Values;
        foreach (var journeyIntent in new[] { "find_product", "track_order", "return_exchange" }) Assert.Contains(journeyIntent, intents);
    }

    [Fact]
    public void Sessions_come_from_the_sessionId_property_and_last_thirty_minutes()
    {
        Assert.Equal(EnvelopeFormat.Segment, Plan.Envelope.Format);
        Assert.Equal("properties.sessionId", Plan.Envelope.SessionId);
        Assert.Equal("sessionId", Plan.Identity.Session);
        Assert.Equal(TimeSpan.FromMinutes(30), Plan.Identity.SessionWindow);
        Assert.Equal(["production", "staging"], Plan.Environments);
    }

    [Fact]
    public void Everything_is_kept_now_and_products_shown_may_never_drop_below_half()
    {
        foreach (var e in Plan.Events) Assert.Equal(1.0, Plan.SamplingOf(e));
        Assert.Equal(0.5, Plan.FindEvent("aurora_products_shown")!.MinSampling);
        Assert.Single(Plan.Events, e => e.MinSampling is not null);
    }

    [Fact]
    public void Raw_events_are_kept_180_days_and_aggregates_forever()
    {
        foreach (var e in Plan.Events) Assert.Equal(TimeSpan.FromDays(180), Plan.RetentionOf(e));
        Assert.Equal(PlanDuration.Forever, Plan.Defaults.AggregateRetention);
    }

    [Fact]
    public void Every_event_name_starts_with_aurora()
    {
        Assert.Equal(NamingStyle.SnakeCase, Plan.Naming.Style);
        Assert.NotNull(Plan.Naming.Pattern);
        Assert.Matches(Plan.Naming.Pattern, "aurora_widget_open");
        Assert.DoesNotMatch(Plan.Naming.Pattern, "widget_open");
    }

    [Theory]
    [InlineData("find_my_ring", "find_product", "aurora_product_shortlisted", null)]
    [InlineData("track_my_order", "track_order", "aurora_order_updates_subscribed", null)]
    [InlineData("returns_and_resizing", "return_exchange", "aurora_stylist_ticket_created", "if escalation")]
    public void Each_journey_has_five_steps_with_the_seed_optional_step_fourth(string journey, string intent, string optionalStep, string? condition)
    {
        var j = Assert.Single(Plan.Journeys, j => j.Name == journey);
        Assert.Equal(5, j.Steps.Count);
        Assert.Equal("aurora_widget_open", j.Steps[0].Event);
        Assert.Equal(intent, j.Steps[1].Filter.Where["intent"]);
        Assert.Equal(optionalStep, j.Steps[3].Event);
        Assert.True(j.Steps[3].Optional);
        Assert.Equal(condition, j.Steps[3].Condition);
        Assert.Single(j.Steps, s => s.Optional);
        Assert.Equal("aurora_csat_submitted", j.Steps[4].Event);
    }

    [Fact]
    public void The_three_funnels_are_session_funnels_of_thirty_minutes()
    {
        Assert.Equal(["product_engagement", "support_resolution", "returns"], Plan.Funnels.Select(f => f.Name));
        Assert.All(Plan.Funnels, f => Assert.Equal((CountingUnit.Session, TimeSpan.FromMinutes(30)), (f.Unit, f.Window)));
        Assert.Equal(3, Plan.Funnels[0].Steps.Count);
        var support = Plan.Funnels[1];
        Assert.Equal(4, support.Steps.Count);
        Assert.Equal("track_order", support.Steps[0].Filter.Where["intent"]);
        Assert.Equal("great", support.Steps[^1].Filter.Where["rating"]);
        // The return funnel leaves out the "(if needed)" ticket step: funnels have no optional steps.
        var returns = Plan.Funnels[2];
        Assert.Equal(["aurora_intent_detected", "aurora_return_initiated", "aurora_csat_submitted"], returns.Steps.Select(s => s.Event));
        Assert.Equal("return_exchange", returns.Steps[0].Filter.Where["intent"]);
    }

    [Fact]
    public void The_five_kpis_are_declared_with_the_seed_calculations()
    {
        Assert.Equal(5, Plan.Kpis.Count);
        var shortlist = Kpi("shortlist_conversion_rate", KpiKind.Ratio);
        Assert.Equal(("aurora_product_shortlisted", "aurora_products_shown"), (shortlist.Numerator!.Event, shortlist.Denominator!.Event));
        var nps = Kpi("support_resolution_nps_proxy", KpiKind.Ratio);
        Assert.Equal("great", nps.Numerator!.Where["rating"]);
        Assert.Equal("aurora_csat_submitted", nps.Denominator!.Event);
        Assert.Empty(nps.Denominator.Where);
        Assert.Equal("track_order", Kpi("order_tracking_success", KpiKind.Ratio).Denominator!.Where["intent"]);
        Assert.Equal("return_exchange", Kpi("return_automation_rate", KpiKind.Ratio).Denominator!.Where["intent"]);
        Assert.Equal("aurora_stylist_ticket_created", Kpi("ticket_escalation_load", KpiKind.CountPerDay).Event!.Event);
    }

    [Fact]
    public void Conversions_are_credited_to_the_last_intent_in_the_session()
    {
        var a = Assert.Single(Plan.Attributions);
        Assert.Equal("intent_credit", a.Name);
        Assert.Equal("aurora_intent_detected", a.Touch.Event);
        Assert.Equal("intent", a.CreditProperty);
        Assert.Equal((TimeSpan.FromMinutes(30), CountingUnit.Session), (a.Window, a.Scope));
        Assert.Contains(a.Conversions, c => c.Event == "aurora_product_shortlisted");
        Assert.DoesNotContain(a.Conversions, c => c.Event == a.Touch.Event);
    }

    private static PropertyDefinition Shared(string name) => Assert.Single(Plan.Properties, p => p.Name == name);

    private static KpiDefinition Kpi(string name, KpiKind kind)
    {
        var k = Assert.Single(Plan.Kpis, k => k.Name == name);
        Assert.Equal(kind, k.Kind);
        return k;
    }
}
