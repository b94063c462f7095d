using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>plans/auterity.yaml must say everything seed 001 (the Auterity analytics events catalog) defines.</summary>
public class AuterityPlanTests
{
    private static readonly Lazy<PlanLoadResult> Loaded = new(() => PlanLoader.LoadFile(Repo.File("plans", "auterity.yaml")));

    private static TrackingPlan Plan => Loaded.Value.GetPlanOrThrow();

    /// <summary>Every event heading of the seed, copied from its text.</summary>
    private static readonly string[] SeedEvents =
    [
        "user.login", "user.logout", "user.session_expired",
        "user.page_view", "user.feature_used", "user.search_performed",
        "workflow.created", "workflow.updated", "workflow.deleted",
        "workflow.execution_started", "workflow.execution_completed", "workflow.execution_failed", "workflow.node_executed",
        "ai.model_requested", "ai.model_completed", "ai.model_failed", "ai.cost_incurred",
        "integration.sync_started", "integration.sync_completed", "integration.sync_failed",
        "api.request_received", "api.request_completed", "api.request_failed",
        "system.performance_metric", "system.error_occurred",
        "security.login_attempt", "security.suspicious_activity",
        "business.workflow_value_delivered", "business.user_adoption_milestone", "business.revenue_generated",
    ];

    private static EventDefinition Event(string name) => Plan.FindEvent(name) ?? throw new Xunit.Sdk.XunitException($"no event '{name}'");

    private static PropertyDefinition Property(string evt, string name) =>
        Plan.ResolveProperty(Event(evt), name) ?? throw new Xunit.Sdk.XunitException($"'{name}' does not resolve on '{evt}'");

    [Fact]
    public void Plan_loads_without_diagnostics()
    {
        var result = Loaded.Value;
        Assert.NotNull(result.Plan);
        Assert.True(result.Diagnostics.Count == 0, string.Join(Environment.NewLine, result.Diagnostics));
    }

    [Fact]
    public void Every_event_of_the_seed_is_declared_and_nothing_else()
    {
        Assert.Equal(30, SeedEvents.Length);
        Assert.Equal(SeedEvents.Order(StringComparer.Ordinal), Plan.Events.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_event_belongs_to_a_category_the_plan_defines()
    {
        foreach (var e in Plan.Events)
        {
            Assert.False(e.Category is null, $"{e.Name} has no category");
            Assert.True(Plan.FindCategory(e.Category) is not null, $"{e.Name}: category '{e.Category}' is not defined");
        }
    }

    [Theory]
    // The seed's retentionPolicies.
    [InlineData("user.login", "2y", "1y")]
    [InlineData("user.search_performed", "2y", "1y")]
    [InlineData("workflow.execution_failed", "1y", "6mo")]
    [InlineData("workflow.node_executed", "1y", "6mo")]
    [InlineData("security.login_attempt", "7y", "2y")]
    [InlineData("security.suspicious_activity", "7y", "2y")]
    [InlineData("business.revenue_generated", "7y", "3y")]
    [InlineData("business.user_adoption_milestone", "7y", "3y")]
    // Classes the seed lacks, as the plan chose them.
    [InlineData("ai.cost_incurred", "1y", "6mo")]
    [InlineData("integration.sync_failed", "1y", "6mo")]
    [InlineData("api.request_received", "1y", "6mo")]
    [InlineData("system.error_occurred", "90d", "30d")]
    public void Retention_follows_the_seed_policies(string evt, string retention, string archiveAfter)
    {
        Assert.Equal(PlanDuration.Parse(retention), Plan.RetentionOf(Event(evt)));
        Assert.Equal(PlanDuration.Parse(archiveAfter), Plan.ArchiveAfterOf(Event(evt)));
    }

    [Fact]
    public void Security_events_and_only_they_are_kept_under_opt_out()
    {
        foreach (var e in Plan.Events)
            Assert.True(e.Essential == e.Name.StartsWith("security.", StringComparison.Ordinal), $"{e.Name}: essential={e.Essential}");
    }

    [Fact]
    public void Every_property_an_event_lists_has_a_definition()
    {
        foreach (var e in Plan.Events)
        foreach (var p in e.AllPropertyNames)
            Assert.True(Plan.ResolveProperty(e, p) is not null, $"{e.Name}: '{p}' is not defined");
    }

    [Fact]
    public void Every_event_local_definition_is_listed_by_its_event()
    {
        foreach (var e in Plan.Events)
        foreach (var p in e.Properties)
            Assert.True(e.Declares(p.Name), $"{e.Name} defines '{p.Name}' but neither requires nor allows it");
    }

    [Fact]
    public void BaseEvent_fields_beside_the_bag_are_lifted_and_validated_on_every_event()
    {
        Assert.Equal(EnvelopeFormat.Flat, Plan.Envelope.Format);
        Assert.Equal("properties", Plan.Envelope.Properties);
        Assert.Equal("event_name", Plan.Envelope.Event);
        Assert.Equal(new[] { "event_type", "organization_id", "workflow_id", "execution_id", "version" }, Plan.Envelope.Extra);
        foreach (var e in Plan.Events)
        {
            foreach (var required in new[] { "event_type", "organization_id", "version" })
                Assert.True(e.Required.Contains(required), $"{e.Name} does not require BaseEvent's '{required}'");
            foreach (var context in new[] { "workflow_id", "execution_id" })
                Assert.True(e.Declares(context), $"{e.Name} would drop BaseEvent's '{context}'");
        }
    }

    [Fact]
    public void Stack_trace_is_kept_only_in_development()
    {
        var stack = Property("system.error_occurred", "stack_trace");
        Assert.Equal(new[] { "development" }, stack.OnlyIn);
        Assert.Contains("development", Plan.Environments);
        Assert.Contains("stack_trace", Event("system.error_occurred").Optional);
    }

    [Theory]
    [InlineData("user.login", "ip_address", PrivacyPolicy.Ip)]
    [InlineData("api.request_received", "ip_address", PrivacyPolicy.Ip)]
    [InlineData("security.login_attempt", "user_agent", PrivacyPolicy.Hash)]
    [InlineData("user.search_performed", "search_query", PrivacyPolicy.Hash)]
    [InlineData("user.search_performed", "clicked_result", PrivacyPolicy.Hash)]
    [InlineData("workflow.deleted", "deletion_reason", PrivacyPolicy.Length)]
    [InlineData("workflow.created", "workflow_name", PrivacyPolicy.Hash)]
    // Only this error message is not "(sanitized)" in the seed; its local definition must win.
    [InlineData("integration.sync_failed", "error_message", PrivacyPolicy.Hash)]
    public void Personal_data_is_transformed_before_it_is_stored(string evt, string property, PrivacyPolicy policy) =>
        Assert.Equal(policy, Property(evt, property).Privacy);

    [Theory]
    [InlineData("security.login_attempt", "device_fingerprint")]
    [InlineData("api.request_received", "api_key_id")]
    public void Values_hashed_by_the_client_are_marked_prehashed(string evt, string property) =>
        Assert.True(Property(evt, property).Prehashed);

    [Theory]
    [InlineData("workflow.execution_failed")]
    [InlineData("workflow.node_executed")]
    [InlineData("api.request_failed")]
    [InlineData("system.error_occurred")]
    public void Error_messages_the_seed_calls_sanitized_are_trusted(string evt)
    {
        var message = Property(evt, "error_message");
        Assert.True(message.Sanitized);
        Assert.Equal(PrivacyPolicy.Allow, message.Privacy);
    }

    [Theory]
    [InlineData("user.search_performed", "clicked_result")]
    [InlineData("workflow.created", "template_id")]
    [InlineData("ai.model_completed", "response_quality")]
    [InlineData("system.error_occurred", "user_affected")]
    [InlineData("security.login_attempt", "user_id")]
    [InlineData("security.login_attempt", "failure_reason")]
    [InlineData("workflow.node_executed", "error_message")]
    public void Fields_the_seed_calls_conditional_are_optional(string evt, string property)
    {
        Assert.Contains(property, Event(evt).Optional);
        Assert.DoesNotContain(property, Event(evt).Required);
    }

    [Theory]
    [InlineData("user.login", "login_timestamp", PropertyType.Timestamp)]
    [InlineData("workflow.deleted", "last_execution", PropertyType.Timestamp)]
    [InlineData("user.logout", "session_duration", PropertyType.Number)]
    [InlineData("ai.model_completed", "output_tokens", PropertyType.Integer)]
    [InlineData("workflow.node_executed", "success", PropertyType.Boolean)]
    [InlineData("user.feature_used", "context", PropertyType.Object)]
    [InlineData("workflow.updated", "changes_made", PropertyType.Array)]
    [InlineData("user.login", "login_method", PropertyType.Enum)]
    public void Seed_types_map_to_plan_types(string evt, string property, PropertyType type) =>
        Assert.Equal(type, Property(evt, property).Type);

    [Fact]
    public void String_arrays_hold_strings_and_objects_stay_open()
    {
        Assert.Equal(PropertyType.String, Property("workflow.updated", "changes_made").Items?.Type);
        Assert.True(Property("user.feature_used", "context").OpenObject);
        Assert.True(Property("security.suspicious_activity", "activity_details").OpenObject);
    }

    [Theory]
    [InlineData("user.login", "login_method", "password,sso,mfa")]
    [InlineData("workflow.execution_started", "priority_level", "low,medium,high,critical")]
    [InlineData("ai.model_requested", "priority_level", "low,medium,high")]
    [InlineData("workflow.execution_failed", "failure_reason", "timeout,node_error,system_error")]
    [InlineData("ai.model_failed", "failure_reason", "timeout,rate_limit,api_error,invalid_input")]
    [InlineData("integration.sync_failed", "failure_reason", "auth_error,timeout,api_error,data_error")]
    public void Enums_take_their_values_from_the_seed_comment_of_their_event(string evt, string property, string values) =>
        Assert.Equal(values.Split(','), Property(evt, property).Values);

    [Fact]
    public void Ranged_scores_keep_the_seed_ranges()
    {
        var risk = Property("security.suspicious_activity", "risk_score");
        Assert.Equal((0.0, 100.0), (risk.Min, risk.Max));
        var complexity = Property("workflow.created", "complexity_score");
        Assert.Equal((1.0, 10.0), (complexity.Min, complexity.Max));
    }

    [Fact]
    public void Workflow_funnel_follows_a_user_for_a_week()
    {
        var funnel = Assert.Single(Plan.Funnels);
        Assert.Equal(new[] { "workflow.created", "workflow.execution_started", "workflow.execution_completed" }, funnel.Steps.Select(s => s.Event));
        Assert.Equal(CountingUnit.User, funnel.Unit);
        Assert.Equal(TimeSpan.FromDays(7), funnel.Window);
    }

    [Fact]
    public void Kpis_count_declared_events_and_filter_on_declared_properties()
    {
        Assert.InRange(Plan.Kpis.Count, 3, 5);
        foreach (var k in Plan.Kpis)
        {
            var filters = new[] { k.Numerator, k.Denominator, k.Event, k.Start, k.End }.OfType<EventFilter>().ToList();
            Assert.NotEmpty(filters);
            foreach (var f in filters)
            {
                var e = Plan.FindEvent(f.Event);
                if (e is null) Assert.Fail($"KPI {k.Name}: unknown event '{f.Event}'");
                foreach (var key in f.Where.Keys)
                    Assert.True(Plan.ResolveProperty(e, key) is not null, $"KPI {k.Name}: '{key}' is not a property of {e.Name}");
                foreach (var g in k.GroupBy)
                    Assert.True(Plan.ResolveProperty(e, g) is not null, $"KPI {k.Name}: cannot group {e.Name} by '{g}'");
            }
        }
        var auth = Plan.Kpis.Single(k => k.Name == "authentication_success_rate");
        Assert.Equal("true", auth.Numerator?.Where["success"]);
        Assert.Equal("security.login_attempt", auth.Denominator?.Event);
    }
}
