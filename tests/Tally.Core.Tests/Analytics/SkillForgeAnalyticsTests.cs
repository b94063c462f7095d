using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;
using static Tally.Core.Tests.Analytics.Stored;

namespace Tally.Core.Tests.Analytics;

/// <summary>
/// plans/skillforge.yaml's KPIs over two hand-written ISO weeks (Monday 2 to Sunday 15 March 2026) with identity
/// stitching: Alice starts anonymous, Carol has two accounts sharing a merge key, Gina is never identified.
/// Every expected number was worked out by hand from the list below.
/// </summary>
public class SkillForgeAnalyticsTests
{
    private static readonly TrackingPlan Plan = SeedPlans.Load("skillforge.yaml");
    private static readonly TimeRange TwoWeeks = TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 16));

    private static AnalyticsEvent U(string name, string user, DateTimeOffset at, string json = "{}") => Event(name, at, user: user, json: json);
    private static AnalyticsEvent A(string name, string anon, DateTimeOffset at, string json = "{}") => Event(name, at, anon: anon, json: json);

    private static readonly IdentityGraph Links = new(
    [
        new IdentityLink("anon-a", "u-alice", IdentityLink.Identify, D(1, 20)),
        new IdentityLink("mk:c", "u-carol", IdentityLink.MergeKey, D(3)),
        new IdentityLink("mk:c", "u-carol2", IdentityLink.MergeKey, D(3)),
    ]);

    private static readonly AnalyticsEvent[] Events =
    [
        // Alice: signs up and takes an assessment before logging in (anon-a), then onboards 11 hours later.
        A("session_started", "anon-a", D(1, 8), """{"persona":"student"}"""),
        A("account_created", "anon-a", D(1, 9)),
        A("assessment_completed", "anon-a", D(1, 10), """{"readiness_score":50}"""),
        U("student_onboarding_completed", "u-alice", D(1, 20)),
        U("task_assigned", "u-alice", D(2)),
        U("task_assigned", "u-alice", D(3)),
        U("task_completion_logged", "u-alice", D(8), """{"completed_on_time":true}"""),
        U("session_started", "u-alice", D(9), """{"persona":"student"}"""),
        U("assessment_completed", "u-alice", D(9, 10), """{"readiness_score":70}"""),
        // Bob: onboards 25 hours after signing up (too late); three scores 60, 55, 90.
        U("account_created", "u-bob", D(2)),
        U("student_onboarding_completed", "u-bob", D(3, 10)),
        U("session_started", "u-bob", D(4), """{"persona":"student"}"""),
        U("assessment_completed", "u-bob", D(4), """{"readiness_score":60}"""),
        U("task_assigned", "u-bob", D(4)),
        U("assessment_completed", "u-bob", D(5), """{"readiness_score":55.0}"""),
        U("task_assigned", "u-bob", D(9)),
        U("task_completion_logged", "u-bob", D(9), """{"completed_on_time":true}"""),
        U("assessment_completed", "u-bob", D(10), """{"readiness_score":90}"""),
        U("task_completion_logged", "u-bob", D(12), """{"completed_on_time":false}"""),
        // Carol: signs up as u-carol, onboards as u-carol2 three hours later (same merge key).
        U("account_created", "u-carol", D(3)),
        U("student_onboarding_completed", "u-carol2", D(3, 12)),
        U("assessment_completed", "u-carol", D(6), """{"readiness_score":40}"""),
        U("session_started", "u-carol2", D(6), """{"persona":"student"}"""),
        U("session_started", "u-carol", D(11), """{"persona":"student"}"""),
        // Dave: signed up and assessed before the range; one score inside it.
        U("account_created", "u-dave", Utc(2026, 3, 1, 9)),
        U("assessment_completed", "u-dave", Utc(2026, 2, 27, 9), """{"readiness_score":30}"""),
        U("assessment_completed", "u-dave", D(5), """{"readiness_score":45}"""),
        // Hank: one student login in week 1.
        U("session_started", "u-hank", D(2), """{"persona":"student"}"""),
        // Eve (career changer): resume day 1, plan accepted day 10; two planner visits.
        U("session_started", "u-eve", D(1), """{"persona":"career_changer"}"""),
        U("resume_parsed", "u-eve", D(1)),
        U("career_changer_roi_planner_closed", "u-eve", D(2), """{"time_spent_ms":120000}"""),
        U("career_changer_roi_planner_closed", "u-eve", D(3), """{"time_spent_ms":30000}"""),
        U("action_plan_accepted", "u-eve", D(10)),
        // Frank: resumes on days 2 and 5, plan accepted 18 March, 15 days after his first resume.
        U("resume_parsed", "u-frank", D(2)),
        U("resume_parsed", "u-frank", D(5)),
        U("career_changer_roi_planner_closed", "u-frank", D(5), """{"time_spent_ms":90000}"""),
        U("career_changer_roi_planner_closed", "u-frank", D(11), """{"time_spent_ms":60000}"""),
        U("action_plan_accepted", "u-frank", Utc(2026, 3, 18, 9)),
        // Gina: never identified.
        A("resume_parsed", "anon-g", D(12)),
        A("action_plan_accepted", "anon-g", D(13)),
        // An advisor's alerts per cohort.
        U("readiness_alert_triggered", "u-adv", D(2), """{"cohort_id":"c1"}"""),
        U("readiness_alert_triggered", "u-adv", D(2, 10), """{"cohort_id":"c1"}"""),
        U("readiness_alert_triggered", "u-adv", D(9), """{"cohort_id":"c1"}"""),
        U("readiness_alert_triggered", "u-adv", D(10), """{"cohort_id":"c2"}"""),
        // The O*NET importer has no user.
        Event("onet_release_detected", D(1)),
        Event("onet_import_completed", D(2), json: """{"within_sla":true}"""),
        Event("onet_release_detected", D(8)),
        Event("onet_import_completed", D(11), json: """{"within_sla":false}"""),
    ];

    private static KpiResult Kpi(string name) => KpiEngine.Run(Events, Links, Plan.Kpis.Single(k => k.Name == name), TwoWeeks);

    [Fact]
    public void Onboarding_within_24h_follows_pre_login_signups_and_merged_accounts()
    {
        // Cohort: Alice (anon-a, day 1), Bob (day 2), Carol (day 3); Dave signed up before the range.
        // Alice onboards after 11 h, Carol after 3 h as u-carol2, Bob after 25 h: 2 of 3.
        var r = Kpi("onboarding_completion_24h");
        Assert.Equal((2L, 3L), (r.Numerator, r.Denominator));
        Assert.Equal([1.0, 0.0, 1.0, null], r.Series.Take(4).Select(p => p.Value));
        Assert.All(r.Series.Skip(3), p => Assert.Null(p.Value));
    }

    [Fact]
    public void Readiness_delta_averages_last_minus_first_over_students_with_two_scores()
    {
        // Alice 50 → 70 (+20, first score sent before login), Bob 60 → 55 → 90 (+30); Carol and Dave have one
        // score in range. Mean 25 over 2 students; Alice's change lands on 10 March, Bob's on 11 March.
        var r = Kpi("skill_readiness_delta");
        Assert.Equal((25.0, 2L), (r.Value, r.Denominator));
        Assert.Equal(20.0, r.Series.Single(p => p.T == "2026-03-10").Value);
        Assert.Equal(30.0, r.Series.Single(p => p.T == "2026-03-11").Value);
    }

    [Fact]
    public void Adherence_is_on_time_completions_over_assignments()
    {
        // Assigned: Alice ×2, Bob ×2. On time: Alice day 8, Bob day 9 (Bob's day-12 completion was late).
        var r = Kpi("action_plan_adherence");
        Assert.Equal((2L, 4L, 0.5), (r.Numerator, r.Denominator, r.Value));
    }

    [Fact]
    public void Resume_to_roadmap_counts_a_never_identified_visitor_as_its_own_actor()
    {
        // Eve: 9 days. Frank: first resume 3 March, plan 18 March = 15 days (> 14). Gina (anon-g): 1 day.
        var r = Kpi("resume_to_roadmap_conversion");
        Assert.Equal((2L, 3L), (r.Numerator, r.Denominator));
    }

    [Fact]
    public void Roi_engagement_is_the_median_planner_time()
    {
        // 120 000, 30 000, 90 000, 60 000 ms: the middle two are 60 000 and 90 000.
        var r = Kpi("roi_projection_engagement");
        Assert.Equal((75000.0, 4L), (r.Value, r.Denominator));
    }

    [Fact]
    public void Advisee_activation_counts_each_student_once_per_month()
    {
        // March student logins: Alice (as anon-a and u-alice), Bob, Carol (as u-carol2 and u-carol), Hank = 4.
        // Eve's login is a career changer's. One (partial) month, labelled with its first day.
        var r = Kpi("advisee_activation");
        Assert.Equal((4.0, 4L, 1L), (r.Value, r.Numerator, r.Denominator));
        Assert.Equal([new KpiPoint("2026-03-01", 4)], r.Series);
    }

    [Fact]
    public void Weekly_active_users_merge_identities_within_each_iso_week_and_count_only_authenticated_users()
    {
        // Week of 2 March: Alice (her anonymous events stitched to her), Bob, Carol, Dave, Hank, Eve, Frank, the advisor = 8.
        // Week of 9 March: Alice, Bob, Carol, Eve, Frank, the advisor = 6. Gina (anon-g) was never identified, so she
        // is no authenticated user; the importer has no actor.
        var r = Kpi("weekly_active_users");
        Assert.Equal([new KpiPoint("2026-03-02", 8), new KpiPoint("2026-03-09", 6)], r.Series);
        Assert.Equal((7.0, 14L, 2L), (r.Value, r.Numerator, r.Denominator));
    }

    [Fact]
    public void Intervention_effectiveness_counts_alerts_per_day_and_cohort()
    {
        // 4 alerts over 14 days; cohort c1 has 3, c2 has 1.
        var r = Kpi("intervention_effectiveness");
        Assert.Equal((4L, 14L), (r.Numerator, r.Denominator));
        Assert.Equal(4.0 / 14, r.Value!.Value, 9);
        Assert.Equal([("cohort_id=c1", 3L), ("cohort_id=c2", 1L)], r.Groups.Select(g => (g.Key, g.Numerator!.Value)));
        Assert.Equal(2, r.Series.Single(p => p.T == "2026-03-03").Value);
    }

    [Fact]
    public void Data_freshness_is_imports_within_sla_over_releases()
    {
        var r = Kpi("data_freshness_sla");
        Assert.Equal((1L, 2L, 0.5), (r.Numerator, r.Denominator, r.Value));
    }
}
