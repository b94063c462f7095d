using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>plans/skillforge.yaml says everything seed 002 says.</summary>
public class SkillForgePlanTests
{
    /// <summary>The seed's event dictionary, columns Event Name, Personas and Retention copied as written.</summary>
    private const string SeedDictionary = """
        | `student_onboarding_completed` | Student | 3 years (regulatory review) |
        | `resume_parsed` | Student, Career Changer | 5 years (career history) |
        | `assessment_completed` | Student, Career Changer | 5 years (longitudinal trends) |
        | `career_match_viewed` | Student, Career Changer | 2 years |
        | `action_plan_accepted` | Student, Career Changer | 4 years |
        | `task_completion_logged` | Student, Career Changer | 4 years |
        | `advisor_note_added` | Advisor | 7 years (institution policy) |
        | `cohort_assessment_assigned` | Advisor | 7 years |
        | `readiness_alert_triggered` | Advisor | 3 years |
        | `report_export_generated` | Advisor | 7 years |
        | `session_started` | All | 2 years |
        | `settings_tracking_opt_out` | All | 7 years |
        """;

    /// <summary>The seed's core event properties (Property, Type, Required) that are not envelope fields.</summary>
    private const string SeedCoreProperties = """
        | `persona` | string | Yes |
        | `context_page` | string | Yes |
        | `context_device` | string | Optional |
        | `plan_id` | string | Conditional |
        | `assessment_id` | string | Conditional |
        | `readiness_score` | number | Conditional |
        | `opt_out_status` | boolean | Yes |
        | `pii_hash` | string | Conditional |
        """;

    /// <summary>Events the plan adds because a KPI needs them; each is justified in the plan.</summary>
    private static readonly string[] AddedForKpis =
        ["account_created", "task_assigned", "career_changer_roi_planner_closed", "onet_release_detected", "onet_import_completed"];

    private static readonly string[] AllPersonas = ["student", "career_changer", "advisor"];

    private static readonly TrackingPlan Plan = SeedPlans.Load("skillforge.yaml");

    private static IEnumerable<string[]> Rows(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Trim('|').Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => cells.Select(c => c.Trim('`')).ToArray());

    [Fact]
    public void Plan_has_the_twelve_dictionary_events_and_only_the_events_added_for_kpis()
    {
        var seed = Rows(SeedDictionary).Select(r => r[0]).ToList();
        Assert.Equal(12, seed.Count);
        Assert.Equal(seed.Concat(AddedForKpis).Order(), Plan.Events.Select(e => e.Name).Order());
    }

    [Fact]
    public void Each_dictionary_event_keeps_its_own_retention_and_personas()
    {
        foreach (var row in Rows(SeedDictionary))
        {
            var e = Plan.FindEvent(row[0])!;
            var years = int.Parse(row[2].Split(' ')[0]);
            Assert.Equal(PlanDuration.Parse($"{years}y"), e.Retention);
            var personas = row[1] == "All" ? AllPersonas : row[1].Split(", ").Select(p => p.ToLowerInvariant().Replace(' ', '_')).ToArray();
            Assert.Equal(personas.Order(), e.Personas.Order());
        }
        Assert.Equal(TimeSpan.FromDays(7 * 365), Plan.RetentionOf(Plan.FindEvent("advisor_note_added")!));
        Assert.Null(Plan.Defaults.Retention);
    }

    [Fact]
    public void Core_properties_have_the_seed_types_and_the_required_ones_are_on_every_user_event()
    {
        var userEvents = Plan.Events.Where(e => e.Personas.Count > 0 && e.Name != "account_created").ToList();
        foreach (var row in Rows(SeedCoreProperties))
        {
            var (name, type, required) = (row[0], row[1], row[2]);
            var def = Assert.Single(Plan.Properties, p => p.Name == name);
            // persona is a string limited to the three values the seed lists, hence an enum.
            var expected = name == "persona" ? PropertyType.Enum : Enum.Parse<PropertyType>(type, ignoreCase: true);
            Assert.Equal(expected, def.Type);
            foreach (var e in userEvents)
            {
                if (required == "Yes") Assert.Contains(name, e.Required);
                else Assert.True(e.Declares(name) || required == "Conditional", $"{e.Name} does not accept {name}");
            }
        }
        Assert.Equal(AllPersonas, Assert.Single(Plan.Properties, p => p.Name == "persona").Values);
    }

    [Fact]
    public void Flat_payloads_map_the_seed_envelope_fields_and_keep_properties_at_the_root()
    {
        var env = Plan.Envelope;
        Assert.Equal(EnvelopeFormat.Flat, env.Format);
        Assert.Equal(("event_name", "event_timestamp", "anonymous_id", "user_id"), (env.Event, env.Timestamp, env.AnonymousId, env.UserId));
        Assert.Equal("", env.Properties);
    }

    [Fact]
    public void Identities_merge_on_the_client_hash_of_the_email()
    {
        Assert.Equal("pii_hash", Plan.Identity.MergeBy);
        var hash = Assert.Single(Plan.Properties, p => p.Name == "pii_hash");
        Assert.True(hash.Prehashed);
        Assert.Matches(hash.Pattern!, "c3a94b4e9a3d7c6d4b65f7d67c2dbfe09f4c2f5ddad3d6e279d0da5f1e65e123");
        Assert.DoesNotMatch(hash.Pattern!, "maya@example.edu");
    }

    [Fact]
    public void Opting_out_is_recorded_by_its_own_essential_event_and_flag()
    {
        Assert.Equal("opt_out_status", Plan.Identity.OptOutProperty);
        Assert.Equal("settings_tracking_opt_out", Plan.Identity.OptOutEvent);
        var essential = Assert.Single(Plan.Events, e => e.Essential);
        Assert.Equal("settings_tracking_opt_out", essential.Name);
        Assert.Contains("opt_out_status", essential.Required);
        Assert.Equal(PropertyType.Boolean, Assert.Single(Plan.Properties, p => p.Name == "opt_out_status").Type);
    }

    [Fact]
    public void Persona_prefixes_are_recognised_but_not_required()
    {
        Assert.Equal(NamingStyle.SnakeCase, Plan.Naming.Style);
        Assert.Equal(2, Plan.Naming.MinWords);
        Assert.Equal(["student_", "career_changer_", "advisor_"], Plan.Naming.Prefixes);
        Assert.False(Plan.Naming.PrefixRequired);
        // The seed's own advisor events go without the prefix.
        Assert.Contains("advisor", Plan.FindEvent("cohort_assessment_assigned")!.Personas);
    }

    [Fact]
    public void All_nine_kpis_are_declared_with_their_persona()
    {
        var expected = new Dictionary<string, (KpiKind Kind, string? Persona)>
        {
            ["onboarding_completion_24h"] = (KpiKind.ConversionWithin, "student"),
            ["skill_readiness_delta"] = (KpiKind.AverageChange, "student"),
            ["action_plan_adherence"] = (KpiKind.Ratio, "student"),
            ["resume_to_roadmap_conversion"] = (KpiKind.ConversionWithin, "career_changer"),
            ["roi_projection_engagement"] = (KpiKind.Median, "career_changer"),
            ["advisee_activation"] = (KpiKind.DistinctActors, "advisor"),
            ["intervention_effectiveness"] = (KpiKind.CountPerDay, "advisor"),
            ["weekly_active_users"] = (KpiKind.DistinctActors, null),
            ["data_freshness_sla"] = (KpiKind.Ratio, null),
        };
        Assert.Equal(expected.Keys.Order(), Plan.Kpis.Select(k => k.Name).Order());
        foreach (var k in Plan.Kpis) Assert.Equal(expected[k.Name], (k.Kind, k.Persona));
    }

    [Fact]
    public void Onboarding_completion_starts_at_an_added_sign_up_event_and_ends_within_24_hours()
    {
        var k = Kpi("onboarding_completion_24h");
        Assert.Equal(("account_created", "student_onboarding_completed"), (k.Start!.Event, k.End!.Event));
        Assert.Equal((TimeSpan.FromHours(24), CountingUnit.User), (k.Within, k.Unit));
    }

    [Fact]
    public void Resume_to_roadmap_converts_per_user_within_14_days()
    {
        var k = Kpi("resume_to_roadmap_conversion");
        Assert.Equal(("resume_parsed", "action_plan_accepted"), (k.Start!.Event, k.End!.Event));
        Assert.Equal((TimeSpan.FromDays(14), CountingUnit.User), (k.Within, k.Unit));
    }

    [Fact]
    public void Readiness_delta_and_roi_engagement_read_numeric_properties_their_events_require()
    {
        var delta = Kpi("skill_readiness_delta");
        Assert.Equal(("assessment_completed", "readiness_score", CountingUnit.User), (delta.Event!.Event, delta.Property, delta.Unit));
        var roi = Kpi("roi_projection_engagement");
        Assert.Equal(CountingUnit.Session, roi.Unit);
        foreach (var k in new[] { delta, roi })
        {
            var e = Plan.FindEvent(k.Event!.Event)!;
            Assert.Contains(k.Property!, e.Required);
            Assert.Contains(Plan.ResolveProperty(e, k.Property!)!.Type, new[] { PropertyType.Integer, PropertyType.Number });
        }
    }

    [Fact]
    public void Weekly_active_users_counts_distinct_users_over_any_event()
    {
        var k = Kpi("weekly_active_users");
        Assert.Equal((EventFilter.AnyEvent, CountingUnit.User, "week"), (k.Event!.Event, k.Unit, k.Period));
    }

    [Fact]
    public void Kpis_that_can_only_be_approximated_say_so()
    {
        foreach (var name in new[] { "advisee_activation", "intervention_effectiveness", "action_plan_adherence", "onboarding_completion_24h" })
            Assert.False(string.IsNullOrWhiteSpace(Kpi(name).Note), $"{name} has no note");
    }

    [Fact]
    public void Roadmap_funnels_follow_users_and_one_breaks_down_by_persona()
    {
        var roadmap = Assert.Single(Plan.Funnels, f => f.Name == "resume_to_roadmap");
        Assert.Equal(["resume_parsed", "career_match_viewed", "action_plan_accepted"], roadmap.Steps.Select(s => s.Event));
        Assert.Equal((CountingUnit.User, TimeSpan.FromDays(14)), (roadmap.Unit, roadmap.Window));
        var byPersona = Assert.Single(Plan.Funnels, f => f.BreakdownBy is not null);
        Assert.Equal("persona", byPersona.BreakdownBy);
        Assert.Equal(CountingUnit.User, byPersona.Unit);
        Assert.Equal(4, byPersona.Steps.Count);
    }

    private static KpiDefinition Kpi(string name) => Assert.Single(Plan.Kpis, k => k.Name == name);
}
