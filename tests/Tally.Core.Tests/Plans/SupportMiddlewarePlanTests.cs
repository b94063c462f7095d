using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>plans/support-middleware.yaml must be the mw_events_v1 contract of seed 003.</summary>
public class SupportMiddlewarePlanTests
{
    private static readonly Lazy<PlanLoadResult> Loaded = new(() => PlanLoader.LoadFile(Repo.File("plans", "support-middleware.yaml")));

    private static TrackingPlan Plan => Loaded.Value.GetPlanOrThrow();

    /// <summary>The seed names what is exported but no event names; these are the plan's names for them.</summary>
    private static readonly string[] ChosenEvents =
    [
        "mw_ticket_received", "mw_step_completed", "mw_decision_made", "mw_vendor_call",
        "mw_automation_outcome", "mw_override_applied", "mw_backlog_incident",
    ];

    /// <summary>The seed's "Not exported" list, as the plan names the fields.</summary>
    public static readonly TheoryData<string, PrivacyPolicy> NeverExported = new()
    {
        { "message_text", PrivacyPolicy.Length },
        { "customer_email", PrivacyPolicy.Hash },
        { "customer_phone", PrivacyPolicy.Hash },
        { "address", PrivacyPolicy.Drop },
        { "tracking_url", PrivacyPolicy.Drop },
        { "auth_header", PrivacyPolicy.Drop },
    };

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
    public void Every_exported_kind_of_record_has_an_event_and_all_carry_the_mw_prefix()
    {
        Assert.Equal(ChosenEvents.Order(StringComparer.Ordinal), Plan.Events.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(NamingStyle.SnakeCase, Plan.Naming.Style);
        Assert.All(Plan.Events, e => Assert.Matches(Plan.Naming.Pattern!, e.Name));
    }

    [Fact]
    public void The_envelope_is_the_flat_json_line_of_the_athena_table()
    {
        Assert.Equal(EnvelopeFormat.Flat, Plan.Envelope.Format);
        Assert.Equal("event", Plan.Envelope.Event);
        Assert.Equal("ts", Plan.Envelope.Timestamp);
        Assert.Equal("env", Plan.Envelope.Environment);
        Assert.Equal("", Plan.Envelope.Properties);
        Assert.Equal(new[] { "prod", "staging" }, Plan.Environments);
    }

    [Theory]
    // Seed section 4, "Suggested columns", with their Athena types.
    [InlineData("ts", PropertyType.Timestamp)]
    [InlineData("event", PropertyType.String)]
    [InlineData("env", PropertyType.Enum)]
    [InlineData("ticket_id", PropertyType.String)]
    [InlineData("mw_trace_id", PropertyType.String)]
    [InlineData("channel", PropertyType.String)]
    [InlineData("step", PropertyType.String)]
    [InlineData("result", PropertyType.String)]
    [InlineData("latency_ms", PropertyType.Number)]
    [InlineData("decision.primary_intent", PropertyType.String)]
    [InlineData("decision.department", PropertyType.String)]
    [InlineData("decision.tier", PropertyType.Integer)]
    [InlineData("decision.template_id", PropertyType.String)]
    [InlineData("decision.confidence", PropertyType.Number)]
    [InlineData("vendor.name", PropertyType.String)]
    [InlineData("vendor.operation", PropertyType.String)]
    [InlineData("vendor.http_status", PropertyType.Integer)]
    [InlineData("vendor.retry_count", PropertyType.Integer)]
    public void Every_column_of_mw_events_v1_is_declared_with_its_type(string column, PropertyType type)
    {
        // mw_step_completed defines nothing locally, so this reads the shared (table-wide) definitions.
        var p = Property("mw_step_completed", column);
        Assert.Equal(type, p.Type);
        Assert.True(p.Export, $"{column} is a column of the export");
    }

    [Fact]
    public void Decision_tier_resolves_through_the_decision_object_on_the_routing_event()
    {
        Assert.Equal(PropertyType.Integer, Property("mw_decision_made", "decision.tier").Type);
        Assert.Null(Plan.ResolveProperty(Event("mw_decision_made"), "decision.no_such_field"));
    }

    [Fact]
    public void Confidence_is_bounded_to_zero_and_one()
    {
        var confidence = Property("mw_decision_made", "decision.confidence");
        Assert.Equal((0.0, 1.0), (confidence.Min, confidence.Max));
    }

    [Fact]
    public void Rich_fields_stay_optional_so_v1_can_evolve_additively()
    {
        Assert.Empty(Property("mw_decision_made", "decision").RequiredProperties);
        Assert.Empty(Property("mw_vendor_call", "vendor").RequiredProperties);
    }

    [Theory]
    [MemberData(nameof(NeverExported))]
    public void Fields_the_seed_never_exports_are_not_exportable_and_never_stored_raw(string property, PrivacyPolicy policy)
    {
        var shared = Assert.Single(Plan.Properties, p => p.Name == property);
        Assert.False(shared.Export);
        Assert.Equal(policy, shared.Privacy);
        foreach (var e in Plan.Events)
        {
            Assert.True(e.Optional.Contains(property), $"{e.Name} would not recognise '{property}'");
            Assert.False(Plan.ResolveProperty(e, property)!.Export, $"{e.Name} redefines '{property}' as exportable");
        }
    }

    [Fact]
    public void Only_the_never_exported_fields_are_kept_out_of_exports()
    {
        var hidden = Plan.Properties.Where(p => !p.Export).Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(NeverExported.Select(row => row.Data.Item1).Order(StringComparer.Ordinal), hidden);
    }

    [Fact]
    public void Every_event_is_kept_for_the_s3_export_retention()
    {
        foreach (var e in Plan.Events)
            Assert.Equal(TimeSpan.FromDays(365), Plan.RetentionOf(e));
    }

    [Fact]
    public void Every_property_an_event_lists_has_a_definition()
    {
        foreach (var e in Plan.Events)
        foreach (var p in e.AllPropertyNames)
            Assert.True(Plan.ResolveProperty(e, p) is not null, $"{e.Name}: '{p}' is not defined");
    }

    [Theory]
    [InlineData("mw_automation_outcome", "sent,blocked,failed")]
    [InlineData("mw_vendor_call", "ok,error")]
    public void Outcome_events_narrow_result_to_their_outcomes(string evt, string values)
    {
        var result = Property(evt, "result");
        Assert.Equal(PropertyType.Enum, result.Type);
        Assert.Equal(values.Split(','), result.Values);
        Assert.Equal(PropertyType.String, Plan.Properties.Single(p => p.Name == "result").Type);
    }

    [Fact]
    public void Kpis_filter_on_values_their_events_can_carry()
    {
        foreach (var k in Plan.Kpis)
        {
            var filters = new[] { k.Numerator, k.Denominator, k.Event, k.Start, k.End }.OfType<EventFilter>().ToList();
            Assert.NotEmpty(filters);
            foreach (var f in filters)
            {
                var e = Plan.FindEvent(f.Event);
                if (e is null) Assert.Fail($"KPI {k.Name}: unknown event '{f.Event}'");
                foreach (var (key, value) in f.Where)
                {
                    var p = Plan.ResolveProperty(e, key);
                    if (p is null) Assert.Fail($"KPI {k.Name}: '{key}' is not a property of {e.Name}");
                    if (p.Type == PropertyType.Enum)
                        Assert.True(p.Values.Contains(value), $"KPI {k.Name}: {e.Name} never has {key}={value}");
                }
                foreach (var g in k.GroupBy)
                    Assert.True(Plan.ResolveProperty(e, g) is not null, $"KPI {k.Name}: cannot group {e.Name} by '{g}'");
            }
            if (k.Property is { } prop)
                Assert.True(Plan.ResolveProperty(Plan.FindEvent(k.Event!.Event)!, prop) is not null, $"KPI {k.Name}: no property '{prop}'");
        }
    }

    [Fact]
    public void Vendor_error_rate_is_grouped_by_vendor_name()
    {
        var k = Plan.Kpis.Single(k => k.Name == "vendor_error_rate");
        Assert.Equal(KpiKind.RateBy, k.Kind);
        Assert.Equal("error", k.Numerator?.Where["result"]);
        Assert.Equal(new[] { "vendor.name" }, k.GroupBy);
    }
}
