using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;
using static Tally.Core.Tests.Analytics.Stored;

namespace Tally.Core.Tests.Analytics;

/// <summary>
/// plans/aurora-concierge.yaml on seven hand-written widget sessions; every expected number was worked out by
/// hand from the list below (minutes after 10:00 UTC), not by running the engines.
/// </summary>
public class AuroraConciergeAnalyticsTests
{
    private static readonly TrackingPlan Plan = SeedPlans.Load("aurora-concierge.yaml");

    private static AnalyticsEvent E(string name, string session, int day, int minute, string json = "{}") =>
        Event(name, Utc(2026, 3, day, 10).AddMinutes(minute), session: session, json: json);

    private static readonly AnalyticsEvent[] Events =
    [
        // S1, day 1: finds a ring, shortlists it, rates great.
        E("aurora_widget_open", "S1", 2, 0, """{"source":"launcher"}"""),
        E("aurora_intent_detected", "S1", 2, 1, """{"intent":"find_product"}"""),
        E("aurora_products_shown", "S1", 2, 2, """{"intent":"find_product","productIds":["p1","p2"]}"""),
        E("aurora_product_shortlisted", "S1", 2, 3, """{"productId":"p1"}"""),
        E("aurora_csat_submitted", "S1", 2, 5, """{"rating":"great"}"""),
        // S2, day 1: tracks an order, subscribes, escalates to a stylist, rates great.
        E("aurora_widget_open", "S2", 2, 0),
        E("aurora_intent_detected", "S2", 2, 1, """{"intent":"track_order"}"""),
        E("aurora_order_tracked", "S2", 2, 2, """{"intent":"track_order"}"""),
        E("aurora_order_updates_subscribed", "S2", 2, 3, """{"channel":"email"}"""),
        E("aurora_stylist_ticket_created", "S2", 2, 10, """{"ticketId":"t1"}"""),
        E("aurora_csat_submitted", "S2", 2, 12, """{"rating":"great"}"""),
        // S3, day 1: a return, a ticket, and a CSAT 40 minutes in (outside the 30-minute window).
        E("aurora_widget_open", "S3", 2, 0),
        E("aurora_intent_detected", "S3", 2, 1, """{"intent":"return_exchange"}"""),
        E("aurora_return_initiated", "S3", 2, 2, """{"option":"resize"}"""),
        E("aurora_stylist_ticket_created", "S3", 2, 20, """{"ticketId":"t2"}"""),
        E("aurora_csat_submitted", "S3", 2, 40, """{"rating":"good"}"""),
        // S4, day 2: products shown twice, no shortlist; then an order question answered by SMS opt-in only.
        E("aurora_widget_open", "S4", 3, 0),
        E("aurora_intent_detected", "S4", 3, 1, """{"intent":"find_product"}"""),
        E("aurora_products_shown", "S4", 3, 2),
        E("aurora_products_shown", "S4", 3, 3),
        E("aurora_intent_detected", "S4", 3, 4, """{"intent":"track_order"}"""),
        E("aurora_timeline_text_updates", "S4", 3, 6, """{"success":true}"""),
        E("aurora_stylist_ticket_created", "S4", 3, 8, """{"ticketId":"t3"}"""),
        // S5, day 2: no widget open; a return 50 minutes after its intent, then a shortlist.
        E("aurora_intent_detected", "S5", 3, 0, """{"intent":"return_exchange"}"""),
        E("aurora_return_initiated", "S5", 3, 50, """{"option":"return"}"""),
        E("aurora_product_shortlisted", "S5", 3, 51, """{"productId":"p9"}"""),
        // S6 on 4 March and S7 on 1 March lie outside the range.
        E("aurora_widget_open", "S6", 4, 0),
        E("aurora_products_shown", "S6", 4, 1),
        E("aurora_stylist_ticket_created", "S7", 1, 0),
    ];

    private static KpiResult Kpi(string name) => KpiEngine.Run(Events, IdentityGraph.Empty, Plan.Kpis.Single(k => k.Name == name), TwoDays);

    private static FunnelResult Funnel(string name) =>
        FunnelEngine.Run(Events, IdentityGraph.Empty, FunnelQuery.From(Plan.Funnels.Single(f => f.Name == name), TwoDays));

    private static JourneyResult Journey(string name) => JourneyEngine.Run(Events, IdentityGraph.Empty, Plan.Journeys.Single(j => j.Name == name), TwoDays);

    private static void Steps(FunnelResult r, long[] actors, double?[] fromPrevious, double?[] medianSeconds)
    {
        Assert.Equal(actors, r.Steps.Select(s => s.Actors));
        Assert.Equal(fromPrevious, r.Steps.Select(s => s.ConversionFromPrevious));
        Assert.Equal(medianSeconds, r.Steps.Select(s => s.MedianSecondsFromPrevious));
    }

    [Fact]
    public void Shortlist_conversion_rate_is_shortlists_over_carousels_shown()
    {
        // Shortlists in range: S1, S5 = 2. Carousels: S1 once, S4 twice = 3 (S6 is after the range).
        var r = Kpi("shortlist_conversion_rate");
        Assert.Equal((2L, 3L), (r.Numerator, r.Denominator));
        Assert.Equal(2.0 / 3, r.Value!.Value, 9);
        // Day 1: 1/1; day 2: S5's shortlist over S4's two carousels.
        Assert.Equal([new KpiPoint("2026-03-02", 1.0), new KpiPoint("2026-03-03", 0.5)], r.Series);
        Assert.NotNull(r.Note);
    }

    [Fact]
    public void Nps_proxy_is_great_ratings_over_all_ratings()
    {
        // great (S1), great (S2), good (S3); all on day 1, so day 2 divides by zero.
        var r = Kpi("support_resolution_nps_proxy");
        Assert.Equal((2L, 3L), (r.Numerator, r.Denominator));
        Assert.Equal([new KpiPoint("2026-03-02", 2.0 / 3), new KpiPoint("2026-03-03", null)], r.Series);
    }

    [Fact]
    public void Order_tracking_success_is_orders_tracked_over_tracking_intents()
    {
        // Tracked: S2. Intents track_order: S2 (day 1), S4 (day 2), whose question got no timeline.
        var r = Kpi("order_tracking_success");
        Assert.Equal((1L, 2L, 0.5), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 1.0), new KpiPoint("2026-03-03", 0.0)], r.Series);
    }

    [Fact]
    public void Return_automation_rate_counts_returns_even_when_late_or_escalated()
    {
        // Returns S3, S5 over return intents S3, S5.
        var r = Kpi("return_automation_rate");
        Assert.Equal((2L, 2L, 1.0), (r.Numerator, r.Denominator, r.Value));
    }

    [Fact]
    public void Ticket_escalation_load_is_tickets_per_day_of_the_range()
    {
        // Tickets S2, S3 on day 1 and S4 on day 2; S7's on 1 March is outside: 3 tickets / 2 days.
        var r = Kpi("ticket_escalation_load");
        Assert.Equal((3L, 2L, 1.5), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 2), new KpiPoint("2026-03-03", 1)], r.Series);
    }

    [Fact]
    public void Product_engagement_funnel_counts_sessions_by_level()
    {
        // Opens: S1, S2, S3, S4 (S6 outside). Carousels: S1 (2 min after open), S4 (latest carousel 3 min after
        // open). Shortlist: S1 (1 min after the carousel). Median open→shown of 120 s and 180 s is 150 s.
        var r = Funnel("product_engagement");
        Steps(r, [4, 2, 1], [null, 0.5, 0.5], [null, 150, 60]);
        Assert.Equal([1.0, 0.5, 0.25], r.Steps.Select(s => s.ConversionFromFirst));
        Assert.Equal(0, r.CompletesAfterRangeEnd);
    }

    [Fact]
    public void Support_resolution_funnel_follows_the_escalated_track_order_session()
    {
        // S2: intent 1', tracked 2', ticket 10', great 12' (all within 30 min). S4 stops after its intent.
        var r = Funnel("support_resolution");
        Steps(r, [2, 1, 1, 1], [null, 0.5, 1.0, 1.0], [null, 60, 480, 120]);
    }

    [Fact]
    public void Returns_funnel_stops_where_the_window_closes()
    {
        // S3: intent 1', return 2', CSAT 40' is 39 min after the intent: level 2. S5: return 50 min after its intent: level 1.
        var r = Funnel("returns");
        Steps(r, [2, 1, 0], [null, 0.5, 0.0], [null, 60, null]);
        Assert.Equal([1.0, 0.5, 0.0], r.Steps.Select(s => s.ConversionFromFirst));
    }

    [Fact]
    public void Intent_credit_goes_to_the_last_intent_within_thirty_minutes()
    {
        // S1 shortlist → find_product; S2 tracked and subscribed → track_order ×2; S3 return → return_exchange;
        // S4 SMS opt-in (success=true) → track_order (intent at 4' is later than find_product at 1');
        // S5 return and shortlist are 50' and 51' after its only intent: unattributed.
        var r = AttributionEngine.Run(Events, IdentityGraph.Empty, Plan.Attributions.Single(), TwoDays);
        Assert.Equal((7L, 5L, 2L), (r.Conversions, r.Attributed, r.Unattributed));
        Assert.Equal([new AttributionCredit("track_order", 3), new AttributionCredit("find_product", 1), new AttributionCredit("return_exchange", 1)], r.Credits);
        Assert.Equal(
            [("aurora_product_shortlisted", 2L, 1L), ("aurora_order_tracked", 1L, 1L), ("aurora_return_initiated", 2L, 1L),
             ("aurora_order_updates_subscribed", 1L, 1L), ("aurora_timeline_text_updates(success=true)", 1L, 1L)],
            r.ByConversionEvent.Select(b => (b.Conversion, b.Conversions, b.Attributed)));
    }

    [Fact]
    public void Find_my_ring_journey_counts_the_optional_shortlist_between_carousel_and_csat()
    {
        // Started: S1–S4 opened the widget. find_product intent and carousel: S1, S4. Shortlist between
        // carousel and CSAT: S1. CSAT: S1, which completes.
        var r = Journey("find_my_ring");
        Assert.Equal((4L, 1L), (r.Started, r.Completed));
        Assert.Equal([4L, 2, 2, 1, 1], r.Steps.Select(s => s.Reached));
        Assert.Equal([false, false, false, true, false], r.Steps.Select(s => s.Optional));
    }

    [Fact]
    public void Track_my_order_journey_reaches_the_subscription_before_the_csat()
    {
        // track_order intent: S2, S4. Tracked, subscribed (3', before the CSAT at 12'), CSAT: S2 only.
        var r = Journey("track_my_order");
        Assert.Equal((4L, 1L), (r.Started, r.Completed));
        Assert.Equal([4L, 2, 1, 1, 1], r.Steps.Select(s => s.Reached));
    }

    [Fact]
    public void Returns_journey_counts_an_escalation_of_a_session_that_never_rated_in_time()
    {
        // S3: open, return intent, return; ticket at 20' within the window; its CSAT at 40' is outside it, and it
        // never reached the CSAT step, so the ticket counts. S5 never opened the widget.
        var r = Journey("returns_and_resizing");
        Assert.Equal((4L, 0L), (r.Started, r.Completed));
        Assert.Equal([4L, 1, 1, 1, 0], r.Steps.Select(s => s.Reached));
    }
}
