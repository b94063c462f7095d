using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;
using static Tally.Core.Tests.Analytics.Stored;

namespace Tally.Core.Tests.Analytics;

/// <summary>
/// plans/support-middleware.yaml's KPIs over two hand-written days (Monday 2 and Tuesday 3 March 2026) of five
/// tickets (t1–t5) going through the middleware, plus a ticket t0 and a few events just outside the range. Ticket t1
/// is re-routed, one decision has no confidence and one no template. Every KPI counts events (unit event), so no
/// identity links are needed. Every expected number was worked out by hand from the list below.
/// </summary>
public class SupportMiddlewareAnalyticsTests
{
    private static readonly TrackingPlan Plan = SeedPlans.Load("support-middleware.yaml");

    /// <summary>A middleware event of one ticket (its session), with its ticket and trace ids, then the fields of <paramref name="props"/>.</summary>
    private static AnalyticsEvent T(string name, string ticket, DateTimeOffset at, string props) =>
        Event(name, at, session: ticket, json: $$"""{"ticket_id":"{{ticket}}","mw_trace_id":"tr-{{ticket}}",""" + props[1..]);

    private static readonly AnalyticsEvent[] Events =
    [
        // Tickets received: t1, t2, t3 on day 1, t4, t5 on day 2; t0 on 1 March.
        T("mw_ticket_received", "t0", Utc(2026, 3, 1, 22), """{"channel":"email"}"""),
        T("mw_ticket_received", "t1", D(1, 8), """{"channel":"email"}"""),
        T("mw_ticket_received", "t2", D(1, 8), """{"channel":"chat"}"""),
        T("mw_ticket_received", "t3", D(1, 9), """{"channel":"email"}"""),
        T("mw_ticket_received", "t4", D(2, 8), """{"channel":"chat"}"""),
        T("mw_ticket_received", "t5", D(2, 9), """{"channel":"chat"}"""),
        // Routing decisions: four on day 1 (t1 twice), three on day 2 (t4 twice, the second without confidence).
        T("mw_decision_made", "t0", Utc(2026, 3, 1, 23), """{"channel":"email","decision":{"department":"billing","tier":1,"template_id":"tpl_refund","confidence":0.125}}"""),
        T("mw_decision_made", "t1", D(1, 9), """{"channel":"email","decision":{"primary_intent":"refund","department":"billing","tier":1,"template_id":"tpl_refund","confidence":0.875}}"""),
        T("mw_decision_made", "t2", D(1, 10), """{"channel":"chat","decision":{"primary_intent":"where_is_my_order","department":"shipping","tier":1,"template_id":"tpl_tracking","confidence":0.5}}"""),
        T("mw_decision_made", "t3", D(1, 11), """{"channel":"email","decision":{"primary_intent":"invoice","department":"billing","tier":2,"confidence":0.75}}"""),
        T("mw_decision_made", "t1", D(1, 12), """{"channel":"email","decision":{"primary_intent":"return","department":"returns","tier":1,"template_id":"tpl_refund","confidence":0.25}}"""),
        T("mw_decision_made", "t4", D(2, 9), """{"channel":"chat","decision":{"primary_intent":"where_is_my_order","department":"shipping","tier":1,"template_id":"tpl_tracking","confidence":1}}"""),
        T("mw_decision_made", "t5", D(2, 10), """{"channel":"chat","decision":{"primary_intent":"refund","department":"billing","tier":1,"template_id":"tpl_refund","confidence":0.5}}"""),
        T("mw_decision_made", "t4", D(2, 11), """{"channel":"chat","decision":{"department":"billing","tier":2,"template_id":"tpl_refund"}}"""),
        // Vendor calls: shopify ok, error (day 1), ok, ok (day 2); aftership ok, ok (day 1), error, error (day 2);
        // one shopify error on 1 March.
        T("mw_vendor_call", "t0", Utc(2026, 3, 1, 23), """{"vendor":{"name":"shopify","operation":"get_order","http_status":500,"retry_count":2},"result":"error","latency_ms":3000}"""),
        T("mw_vendor_call", "t1", D(1, 9), """{"vendor":{"name":"shopify","operation":"get_order","http_status":200,"retry_count":0},"result":"ok","latency_ms":120}"""),
        T("mw_vendor_call", "t1", D(1, 12), """{"vendor":{"name":"shopify","operation":"refund","http_status":502,"retry_count":3},"result":"error","latency_ms":2500}"""),
        T("mw_vendor_call", "t2", D(1, 10), """{"vendor":{"name":"aftership","operation":"track","http_status":200,"retry_count":0},"result":"ok","latency_ms":80}"""),
        T("mw_vendor_call", "t3", D(1, 11), """{"vendor":{"name":"aftership","operation":"track","http_status":200,"retry_count":1},"result":"ok","latency_ms":400}"""),
        T("mw_vendor_call", "t4", D(2, 9), """{"vendor":{"name":"shopify","operation":"get_order","http_status":200,"retry_count":0},"result":"ok","latency_ms":110}"""),
        T("mw_vendor_call", "t5", D(2, 10), """{"vendor":{"name":"shopify","operation":"get_order","http_status":200,"retry_count":0},"result":"ok","latency_ms":95}"""),
        T("mw_vendor_call", "t4", D(2, 9), """{"vendor":{"name":"aftership","operation":"track","http_status":504,"retry_count":2},"result":"error","latency_ms":5000}"""),
        T("mw_vendor_call", "t4", D(2, 11), """{"vendor":{"name":"aftership","operation":"track","http_status":429,"retry_count":3},"result":"error","latency_ms":4000}"""),
        // Automation: t1 sent, t2 blocked, t3 sent (day 1); t4 failed, t5 sent (day 2); t5 sent again on 4 March.
        T("mw_automation_outcome", "t1", D(1, 13), """{"result":"sent","step":"auto_reply"}"""),
        T("mw_automation_outcome", "t2", D(1, 13), """{"result":"blocked","step":"auto_reply"}"""),
        T("mw_automation_outcome", "t3", D(1, 14), """{"result":"sent","step":"auto_reply"}"""),
        T("mw_automation_outcome", "t4", D(2, 12), """{"result":"failed","step":"auto_reply"}"""),
        T("mw_automation_outcome", "t5", D(2, 12), """{"result":"sent","step":"auto_reply"}"""),
        T("mw_automation_outcome", "t5", Utc(2026, 3, 4, 1), """{"result":"sent","step":"auto_reply"}"""),
        // Overrides: tag (t1) and macro (t3) on day 1, two tags on t4 on day 2; a macro on 4 March.
        T("mw_override_applied", "t1", D(1, 15), """{"override_kind":"tag"}"""),
        T("mw_override_applied", "t3", D(1, 16), """{"override_kind":"macro"}"""),
        T("mw_override_applied", "t4", D(2, 14), """{"override_kind":"tag"}"""),
        T("mw_override_applied", "t4", D(2, 15), """{"override_kind":"tag"}"""),
        T("mw_override_applied", "t5", Utc(2026, 3, 4, 9), """{"override_kind":"macro"}"""),
        // Backlog incidents (no ticket): two on day 1, one on day 2; one on 1 March and one exactly at the range end.
        Event("mw_backlog_incident", Utc(2026, 3, 1, 22)),
        Event("mw_backlog_incident", D(1, 14), json: """{"channel":"email"}"""),
        Event("mw_backlog_incident", D(1, 18), json: """{"channel":"chat"}"""),
        Event("mw_backlog_incident", D(2, 3)),
        Event("mw_backlog_incident", Utc(2026, 3, 4, 0)),
    ];

    private static KpiResult Kpi(string name) => KpiEngine.Run(Events, IdentityGraph.Empty, Plan.Kpis.Single(k => k.Name == name), TwoDays);

    [Fact]
    public void Routing_volume_counts_every_decision_per_channel_and_department()
    {
        // Day 1: 4 (t1 counted twice, re-routed), day 2: 3; t0's decision on 1 March is outside: 7 over 2 days = 3.5.
        var r = Kpi("routing_volume");
        Assert.Equal((7L, 2L, 3.5), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 4), new KpiPoint("2026-03-03", 3)], r.Series);
        // chat/billing: t5, t4 = 2; chat/shipping: t2, t4 = 2; email/billing: t1, t3 = 2; email/returns: t1 = 1.
        Assert.Equal(
        [
            ("channel=chat, decision.department=billing", 2L, 2L),
            ("channel=chat, decision.department=shipping", 2L, 2L),
            ("channel=email, decision.department=billing", 2L, 2L),
            ("channel=email, decision.department=returns", 1L, 2L),
        ], GroupCounts(r));
        Assert.Equal([1.0, 1.0, 1.0, 0.5], r.Groups.Select(g => g.Value)); // 2/2, 2/2, 2/2, 1/2
    }

    [Fact]
    public void Vendor_error_rate_counts_only_error_calls_in_the_numerator()
    {
        // Errors: shopify 1 (day 1) + aftership 2 (day 2) = 3; calls 4 + 4 = 8; the 1 March error is outside.
        var r = Kpi("vendor_error_rate");
        Assert.Equal((3L, 8L, 0.375), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 0.25), new KpiPoint("2026-03-03", 0.5)], r.Series); // 1/4, 2/4
        // aftership 2 / 4 = 0.5; shopify 1 / 4 = 0.25.
        Assert.Equal([("vendor.name=aftership", 2L, 4L), ("vendor.name=shopify", 1L, 4L)], GroupCounts(r));
        Assert.Equal([0.5, 0.25], r.Groups.Select(g => g.Value));
    }

    [Fact]
    public void Automation_reply_count_counts_sent_replies_only()
    {
        // Sent: t1, t3 (day 1), t5 (day 2); blocked and failed are filtered out, the 4 March reply is outside: 3 / 2 days.
        var r = Kpi("automation_reply_count");
        Assert.Equal((3L, 2L, 1.5), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 2), new KpiPoint("2026-03-03", 1)], r.Series);
    }

    [Fact]
    public void Deflection_proxy_is_sent_replies_over_tickets_received()
    {
        // Sent 3 over received t1–t5 = 5 (t0 on 1 March is outside): 0.6. Day 2: t5 sent / t4, t5 received = 1/2.
        var r = Kpi("automation_deflection_proxy");
        Assert.Equal((3L, 5L, 0.6), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal(0.5, r.Series.Single(p => p.T == "2026-03-03").Value);
    }

    [Fact]
    public void Confidence_drift_is_the_daily_median_confidence()
    {
        // In range: 0.875, 0.5, 0.75, 0.25, 1, 0.5 (t4's second decision has none; t0's 0.125 is outside).
        // Sorted 0.25, 0.5, 0.5, 0.75, 0.875, 1: (0.5 + 0.75) / 2 = 0.625 over 6 values.
        var r = Kpi("confidence_drift");
        Assert.Equal((0.625, 6L), (r.Value, r.Denominator));
        // Day 1: 0.25, 0.5, 0.75, 0.875 → (0.5 + 0.75) / 2 = 0.625; day 2: 0.5, 1 → (0.5 + 1) / 2 = 0.75.
        Assert.Equal([new KpiPoint("2026-03-02", 0.625), new KpiPoint("2026-03-03", 0.75)], r.Series);
    }

    [Fact]
    public void Template_usage_puts_decisions_without_a_template_under_none()
    {
        // 7 decisions in range over 2 days; t3's has no template.
        var r = Kpi("template_usage");
        Assert.Equal((7L, 2L, 3.5), (r.Numerator, r.Denominator, r.Value));
        // (none): t3 = 1; tpl_refund: t1, t1, t5, t4 = 4; tpl_tracking: t2, t4 = 2.
        Assert.Equal(
        [
            ("decision.template_id=(none)", 1L, 2L),
            ("decision.template_id=tpl_refund", 4L, 2L),
            ("decision.template_id=tpl_tracking", 2L, 2L),
        ], GroupCounts(r));
        Assert.Equal([0.5, 2.0, 1.0], r.Groups.Select(g => g.Value)); // 1/2, 4/2, 2/2
    }

    [Fact]
    public void Override_signals_count_per_day_by_kind()
    {
        // Day 1: tag + macro = 2; day 2: tag + tag = 2; the 4 March macro is outside: 4 over 2 days = 2.
        var r = Kpi("override_signals");
        Assert.Equal((4L, 2L, 2.0), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 2), new KpiPoint("2026-03-03", 2)], r.Series);
        // macro 1 / 2 = 0.5; tag 3 / 2 = 1.5.
        Assert.Equal([("override_kind=macro", 1L, 2L), ("override_kind=tag", 3L, 2L)], GroupCounts(r));
        Assert.Equal([0.5, 1.5], r.Groups.Select(g => g.Value));
    }

    [Fact]
    public void Backlog_incidents_per_day_exclude_the_range_end()
    {
        // Day 1: 2, day 2: 1; 1 March 22:00 and 4 March 00:00 (the half-open range's end) are outside: 3 / 2 = 1.5.
        var r = Kpi("backlog_incidents");
        Assert.Equal((3L, 2L, 1.5), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 2), new KpiPoint("2026-03-03", 1)], r.Series);
    }
}
