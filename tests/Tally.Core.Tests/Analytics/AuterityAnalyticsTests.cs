using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;
using static Tally.Core.Tests.Analytics.Stored;

namespace Tally.Core.Tests.Analytics;

/// <summary>
/// plans/auterity.yaml's KPIs over two hand-written days (Monday 2 and Tuesday 3 March 2026) of one organization's
/// logins, workflow runs, AI costs, API traffic and integration syncs, with a few events just outside the range.
/// Every KPI counts events (unit event), so no identity links are needed. Every expected number was worked out by
/// hand from the list below.
/// </summary>
public class AuterityAnalyticsTests
{
    private static readonly TrackingPlan Plan = SeedPlans.Load("auterity.yaml");

    /// <summary>An event of user u-1 in session s-1 with the BaseEvent fields every Auterity event requires, then the fields of <paramref name="props"/>.</summary>
    private static AnalyticsEvent E(string name, DateTimeOffset at, string props) =>
        Event(name, at, session: "s-1", user: "u-1",
            json: $$"""{"event_type":"{{name}}","organization_id":"org-1","version":"1.2.3",""" + props[1..]);

    private static readonly AnalyticsEvent[] Events =
    [
        // Login attempts: day 1 one success and one failure, day 2 two successes; one success on 4 March (after the range).
        E("security.login_attempt", D(1, 8), """{"login_method":"password","success":true,"suspicious_activity":false}"""),
        E("security.login_attempt", D(1, 10), """{"login_method":"password","success":false,"suspicious_activity":true}"""),
        E("security.login_attempt", D(2, 8), """{"login_method":"sso","success":true,"suspicious_activity":false}"""),
        E("security.login_attempt", D(2, 9), """{"login_method":"mfa","success":true,"suspicious_activity":false}"""),
        E("security.login_attempt", Utc(2026, 3, 4, 8), """{"login_method":"sso","success":true,"suspicious_activity":false}"""),
        // Workflow runs: two started on day 1 (both completed), two on day 2 (both failed); one started on 1 March.
        E("workflow.execution_started", Utc(2026, 3, 1, 23), """{"workflow_id":"wf-0","execution_id":"x-0","trigger_type":"manual","priority_level":"medium","estimated_duration":30}"""),
        E("workflow.execution_started", D(1, 9), """{"workflow_id":"wf-1","execution_id":"x-1","trigger_type":"manual","priority_level":"medium","estimated_duration":30}"""),
        E("workflow.execution_completed", D(1, 10), """{"workflow_id":"wf-1","execution_id":"x-1","actual_duration":40}"""),
        E("workflow.execution_started", D(1, 11), """{"workflow_id":"wf-2","execution_id":"x-2","trigger_type":"schedule","priority_level":"high","estimated_duration":60}"""),
        E("workflow.execution_completed", D(1, 12), """{"workflow_id":"wf-2","execution_id":"x-2","actual_duration":55}"""),
        E("workflow.execution_started", D(2, 9), """{"workflow_id":"wf-1","execution_id":"x-3","trigger_type":"manual","priority_level":"medium","estimated_duration":30}"""),
        E("workflow.execution_failed", D(2, 10), """{"workflow_id":"wf-1","execution_id":"x-3","failure_reason":"timeout","retry_attempt":0}"""),
        E("workflow.execution_started", D(2, 11), """{"workflow_id":"wf-2","execution_id":"x-4","trigger_type":"schedule","priority_level":"high","estimated_duration":60}"""),
        E("workflow.execution_failed", D(2, 12), """{"workflow_id":"wf-2","execution_id":"x-4","failure_reason":"node_error","retry_attempt":1}"""),
        // AI costs: day 1 openai ×2 and anthropic ×1, day 2 openai ×1; one on 4 March.
        E("ai.cost_incurred", D(1, 9), """{"model_provider":"openai","model_name":"gpt-4","cost_amount":0.12,"tokens_used":4000}"""),
        E("ai.cost_incurred", D(1, 10), """{"model_provider":"anthropic","model_name":"claude-3","cost_amount":0.08,"tokens_used":3000}"""),
        E("ai.cost_incurred", D(1, 11), """{"model_provider":"openai","model_name":"gpt-3.5-turbo","cost_amount":0.01,"tokens_used":2000}"""),
        E("ai.cost_incurred", D(2, 9), """{"model_provider":"openai","model_name":"gpt-4","cost_amount":0.2,"tokens_used":6000}"""),
        E("ai.cost_incurred", Utc(2026, 3, 4, 0), """{"model_provider":"azure","model_name":"gpt-4","cost_amount":0.3,"tokens_used":9000}"""),
        // API: /v1/workflows 4 requests (3 on day 1) and 1 failure (day 1); /v1/integrations 4 requests (1 on day 1)
        // and 2 failures (day 2); one /v1/workflows failure on 1 March.
        E("api.request_received", D(1, 9), """{"endpoint":"/v1/workflows","method":"GET","api_key_id":"k1","request_size":100}"""),
        E("api.request_received", D(1, 10), """{"endpoint":"/v1/workflows","method":"POST","api_key_id":"k1","request_size":900}"""),
        E("api.request_failed", D(1, 10), """{"endpoint":"/v1/workflows","method":"POST","api_key_id":"k1","response_status":500,"retry_attempt":0}"""),
        E("api.request_received", D(1, 11), """{"endpoint":"/v1/workflows","method":"GET","api_key_id":"k2","request_size":100}"""),
        E("api.request_received", D(1, 12), """{"endpoint":"/v1/integrations","method":"GET","api_key_id":"k2","request_size":100}"""),
        E("api.request_received", D(2, 9), """{"endpoint":"/v1/workflows","method":"GET","api_key_id":"k1","request_size":100}"""),
        E("api.request_received", D(2, 10), """{"endpoint":"/v1/integrations","method":"PUT","api_key_id":"k1","request_size":400}"""),
        E("api.request_failed", D(2, 10), """{"endpoint":"/v1/integrations","method":"PUT","api_key_id":"k1","response_status":400,"retry_attempt":0}"""),
        E("api.request_received", D(2, 11), """{"endpoint":"/v1/integrations","method":"PUT","api_key_id":"k1","request_size":400}"""),
        E("api.request_failed", D(2, 11), """{"endpoint":"/v1/integrations","method":"PUT","api_key_id":"k1","response_status":503,"retry_attempt":1}"""),
        E("api.request_received", D(2, 12), """{"endpoint":"/v1/integrations","method":"GET","api_key_id":"k2","request_size":100}"""),
        E("api.request_failed", Utc(2026, 3, 1, 23), """{"endpoint":"/v1/workflows","method":"GET","api_key_id":"k2","response_status":404,"retry_attempt":0}"""),
        // Syncs: salesforce and cdk_global started twice each; salesforce failed once; twilio's sync started on
        // 1 March (outside) and failed on day 1.
        E("integration.sync_started", Utc(2026, 3, 1, 22), """{"integration_id":"i-3","integration_type":"communication","provider":"twilio","sync_type":"full"}"""),
        E("integration.sync_failed", D(1, 1), """{"integration_id":"i-3","integration_type":"communication","provider":"twilio","records_processed":0,"retry_attempt":0}"""),
        E("integration.sync_started", D(1, 6), """{"integration_id":"i-1","integration_type":"crm","provider":"salesforce","sync_type":"incremental"}"""),
        E("integration.sync_completed", D(1, 7), """{"integration_id":"i-1","integration_type":"crm","provider":"salesforce","records_processed":120}"""),
        E("integration.sync_started", D(1, 6), """{"integration_id":"i-2","integration_type":"dms","provider":"cdk_global","sync_type":"full"}"""),
        E("integration.sync_started", D(2, 6), """{"integration_id":"i-1","integration_type":"crm","provider":"salesforce","sync_type":"incremental"}"""),
        E("integration.sync_failed", D(2, 7), """{"integration_id":"i-1","integration_type":"crm","provider":"salesforce","records_processed":10,"retry_attempt":2}"""),
        E("integration.sync_started", D(2, 6), """{"integration_id":"i-2","integration_type":"dms","provider":"cdk_global","sync_type":"incremental"}"""),
    ];

    private static KpiResult Kpi(string name) => KpiEngine.Run(Events, IdentityGraph.Empty, Plan.Kpis.Single(k => k.Name == name), TwoDays);

    [Fact]
    public void Authentication_success_rate_counts_only_successful_attempts_in_the_numerator()
    {
        // Successes day 1: 1 of 2 (the failed attempt is filtered out); day 2: 2 of 2; the 4 March success is outside: 3 / 4.
        var r = Kpi("authentication_success_rate");
        Assert.Equal((3L, 4L, 0.75), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 0.5), new KpiPoint("2026-03-03", 1.0)], r.Series);
    }

    [Fact]
    public void Workflow_failure_rate_is_failed_over_started_executions()
    {
        // Started in range: x-1, x-2 (day 1), x-3, x-4 (day 2); x-0 on 1 March is outside. Failed: x-3, x-4 = 2 / 4.
        var r = Kpi("workflow_failure_rate");
        Assert.Equal((2L, 4L, 0.5), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 0.0), new KpiPoint("2026-03-03", 1.0)], r.Series); // 0 / 2, 2 / 2
    }

    [Fact]
    public void Ai_cost_events_per_day_are_grouped_by_provider()
    {
        // Day 1: 3, day 2: 1 (the azure record at 4 March 00:00 is outside): 4 over 2 days = 2.
        var r = Kpi("ai_cost_events_per_day");
        Assert.Equal((4L, 2L, 2.0), (r.Numerator, r.Denominator, r.Value));
        Assert.Equal([new KpiPoint("2026-03-02", 3), new KpiPoint("2026-03-03", 1)], r.Series);
        // anthropic 1 / 2 days = 0.5; openai 3 / 2 days = 1.5.
        Assert.Equal([("model_provider=anthropic", 1L, 2L), ("model_provider=openai", 3L, 2L)], GroupCounts(r));
        Assert.Equal([0.5, 1.5], r.Groups.Select(g => g.Value));
    }

    [Fact]
    public void Api_error_rate_is_split_by_endpoint()
    {
        // Failures 1 (/v1/workflows) + 2 (/v1/integrations) = 3 over 4 + 4 = 8 requests; the 1 March failure is outside.
        var r = Kpi("api_error_rate_by_endpoint");
        Assert.Equal((3L, 8L, 0.375), (r.Numerator, r.Denominator, r.Value));
        // Day 1: 1 failure / 4 requests; day 2: 2 / 4.
        Assert.Equal([new KpiPoint("2026-03-02", 0.25), new KpiPoint("2026-03-03", 0.5)], r.Series);
        // /v1/integrations 2 / 4 = 0.5; /v1/workflows 1 / 4 = 0.25.
        Assert.Equal([("endpoint=/v1/integrations", 2L, 4L), ("endpoint=/v1/workflows", 1L, 4L)], GroupCounts(r));
        Assert.Equal([0.5, 0.25], r.Groups.Select(g => g.Value));
    }

    [Fact]
    public void Integration_sync_failure_rate_by_provider_keeps_a_failure_whose_start_is_outside_the_range()
    {
        // Failed: twilio (day 1) + salesforce (day 2) = 2; started in range: salesforce ×2, cdk_global ×2 = 4.
        var r = Kpi("integration_sync_failure_rate");
        Assert.Equal((2L, 4L, 0.5), (r.Numerator, r.Denominator, r.Value));
        // cdk_global 0 / 2 = 0; salesforce 1 / 2 = 0.5; twilio 1 / 0 (its start was on 1 March) = no value.
        Assert.Equal([("provider=cdk_global", 0L, 2L), ("provider=salesforce", 1L, 2L), ("provider=twilio", 1L, 0L)], GroupCounts(r));
        Assert.Equal([0.0, 0.5, null], r.Groups.Select(g => g.Value));
    }
}
