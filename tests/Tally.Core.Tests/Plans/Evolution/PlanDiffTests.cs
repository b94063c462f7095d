using Tally.Core.Plans;
using Tally.Core.Plans.Evolution;

namespace Tally.Core.Tests.Plans.Evolution;

public class PlanDiffTests
{
    /// <summary>Loads both plans (failing on any load error) and compares them; the new one has a new version number.</summary>
    private static IReadOnlyList<PlanChange> Diff(string oldBody, string newBody, string newVersion = "2") =>
        PlanDiff.Compare(
            PlanLoader.Parse("plan: p\nversion: '1'\n" + oldBody, "old.yaml").GetPlanOrThrow(),
            PlanLoader.Parse($"plan: p\nversion: '{newVersion}'\n" + newBody, "new.yaml").GetPlanOrThrow());

    private static PlanChange Single(IReadOnlyList<PlanChange> changes, string code)
    {
        var found = changes.Where(c => c.Code == code).ToList();
        Assert.True(found.Count == 1, $"expected one '{code}' in:\n{string.Join("\n", changes)}");
        return found[0];
    }

    private static void NothingBreaks(IReadOnlyList<PlanChange> changes) =>
        Assert.True(changes.All(c => c.Kind != ChangeKind.Breaking), string.Join("\n", changes));

    // ---- additive ----------------------------------------------------------------------------------------

    [Fact]
    public void New_event_is_additive_and_located_in_the_new_plan()
    {
        var changes = Diff(
            "events:\n  a_opened: {required: [x]}\nproperties:\n  x: string\n",
            "events:\n  a_opened: {required: [x]}\n  b_closed: {required: [x]}\nproperties:\n  x: string\n");
        var c = Assert.Single(changes);
        Assert.Equal((ChangeKind.Additive, "event-added", "event b_closed"), (c.Kind, c.Code, c.Subject));
        Assert.Equal(("new.yaml", 5), (c.Location.File, c.Location.Line));
    }

    [Fact]
    public void New_optional_property_on_an_event_is_additive()
    {
        var c = Assert.Single(Diff(
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x]}\n",
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x], optional: [y]}\n"));
        Assert.Equal((ChangeKind.Additive, "property-added", "property y of a_opened"), (c.Kind, c.Code, c.Subject));
    }

    [Fact]
    public void New_shared_property_is_additive()
    {
        var c = Assert.Single(Diff(
            "properties: {x: string}\nevents:\n  a_opened: {required: [x]}\n",
            "properties: {x: string, y: integer}\nevents:\n  a_opened: {required: [x]}\n"));
        Assert.Equal((ChangeKind.Additive, "shared-property-added", "shared property y"), (c.Kind, c.Code, c.Subject));
    }

    [Fact]
    public void Enum_with_values_added_is_widened_and_additive()
    {
        var c = Assert.Single(Diff(
            "events:\n  a_opened:\n    required: [channel]\n    properties:\n      channel: {type: enum, values: [sms, email]}\n",
            "events:\n  a_opened:\n    required: [channel]\n    properties:\n      channel: {type: enum, values: [sms, email, push]}\n"));
        Assert.Equal((ChangeKind.Additive, "enum-widened"), (c.Kind, c.Code));
        Assert.Contains("'push'", c.Message);
        Assert.Equal(7, c.Location.Line);
    }

    [Fact]
    public void New_funnel_kpi_journey_and_attribution_are_additive()
    {
        var changes = Diff(
            "events:\n  a_opened: {}\n  b_done: {}\n",
            """
            events:
              a_opened: {}
              b_done: {}
            journeys:
              j: {steps: [a_opened, b_done]}
            funnels:
              f: {steps: [a_opened, b_done]}
            kpis:
              k: {kind: ratio, numerator: b_done, denominator: a_opened}
            attribution:
              t: {touch: a_opened, credit: x, conversions: [b_done]}
            """);
        Assert.Equal(["journey-added", "funnel-added", "kpi-added", "attribution-added"], changes.Select(c => c.Code));
        Assert.All(changes, c => Assert.Equal(ChangeKind.Additive, c.Kind));
    }

    [Theory]
    [InlineData("{type: string, max_length: 10}", "{type: string, max_length: 20}", "max_length 10 -> 20")]
    [InlineData("{type: string, max_length: 10}", "{type: string}", "max_length 10 -> none")]
    [InlineData("{type: integer, min: 5}", "{type: integer, min: 0}", "min 5 -> 0")]
    [InlineData("{type: integer, max: 5}", "{type: integer, max: 9}", "max 5 -> 9")]
    [InlineData("{type: string, pattern: '^[a-z]+$'}", "{type: string}", "pattern '^[a-z]+$' removed")]
    public void Relaxed_constraint_is_additive(string before, string after, string expected)
    {
        var c = Assert.Single(Diff(
            $"events:\n  a_opened:\n    required: [x]\n    properties:\n      x: {before}\n",
            $"events:\n  a_opened:\n    required: [x]\n    properties:\n      x: {after}\n"));
        Assert.Equal((ChangeKind.Additive, "constraint-relaxed"), (c.Kind, c.Code));
        Assert.Contains(expected, c.Message);
    }

    [Fact]
    public void Required_property_becoming_optional_is_additive()
    {
        var c = Assert.Single(Diff(
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x, y]}\n",
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x], optional: [y]}\n"));
        Assert.Equal((ChangeKind.Additive, "now-optional", "property y of a_opened"), (c.Kind, c.Code, c.Subject));
    }

    [Fact]
    public void Adding_a_v2_event_beside_the_old_one_is_additive_only()
    {
        var changes = Diff(
            "properties: {x: string, y: string}\nevents:\n  user.login: {required: [x]}\n",
            "properties: {x: string, y: string}\nevents:\n  user.login: {required: [x]}\n  user.login_v2: {required: [x, y]}\n");
        var c = Assert.Single(changes);
        Assert.Equal((ChangeKind.Additive, "event-added", "event user.login_v2"), (c.Kind, c.Code, c.Subject));
        Assert.Contains("new version beside 'user.login'", c.Message);
    }

    // ---- breaking ----------------------------------------------------------------------------------------

    [Fact]
    public void Removed_event_is_breaking_and_located_in_the_old_plan()
    {
        var c = Single(Diff(
            "events:\n  a_opened: {}\n  zzz_gone: {}\n",
            "events:\n  a_opened: {}\n"), "event-removed");
        Assert.Equal((ChangeKind.Breaking, "event zzz_gone"), (c.Kind, c.Subject));
        Assert.Equal(("old.yaml", 5), (c.Location.File, c.Location.Line));
    }

    [Fact]
    public void Removed_property_is_breaking()
    {
        var changes = Diff(
            "properties: {sessionId: string, intent: string}\nevents:\n  a_opened: {required: [sessionId], optional: [intent]}\n",
            "properties: {sessionId: string, intent: string}\nevents:\n  a_opened: {required: [sessionId]}\n");
        var c = Assert.Single(changes);
        Assert.Equal((ChangeKind.Breaking, "property-removed", "property intent of a_opened"), (c.Kind, c.Code, c.Subject));
        Assert.Equal("old.yaml", c.Location.File);
    }

    [Fact]
    public void Renamed_event_is_reported_once_as_a_possible_rename()
    {
        var changes = Diff(
            "events:\n  aurora_widget_opn: {}\n",
            "events:\n  aurora_widget_open: {}\n");
        var c = Assert.Single(changes);
        Assert.Equal((ChangeKind.Breaking, "event-renamed", "event aurora_widget_opn"), (c.Kind, c.Code, c.Subject));
        Assert.Contains("'aurora_widget_open' added: renamed?", c.Message);
        Assert.Equal("new.yaml", c.Location.File);
    }

    [Fact]
    public void Renamed_property_is_reported_as_a_possible_rename()
    {
        var changes = Diff(
            "properties: {orderNumberHash: string}\nevents:\n  a_opened: {optional: [orderNumberHash]}\n",
            "properties: {orderNumberHsh: string}\nevents:\n  a_opened: {optional: [orderNumberHsh]}\n");
        // Once on the event, once for the shared definition; no separate removal or addition.
        Assert.Equal(["shared property orderNumberHash", "property orderNumberHash of a_opened"], changes.Select(c => c.Subject));
        Assert.All(changes, c => Assert.Equal((ChangeKind.Breaking, "property-renamed"), (c.Kind, c.Code)));
        Assert.All(changes, c => Assert.Contains("'orderNumberHsh' added: renamed?", c.Message));
    }

    [Fact]
    public void Replacing_an_event_by_its_v2_is_breaking_because_the_old_one_is_gone()
    {
        var c = Single(Diff(
            "events:\n  user.login: {}\n",
            "events:\n  user.login_v2: {}\n"), "event-renamed");
        Assert.Equal(ChangeKind.Breaking, c.Kind);
        Assert.Contains("keep 'user.login' beside 'user.login_v2'", c.Message);
    }

    [Fact]
    public void Type_change_is_breaking()
    {
        var c = Assert.Single(Diff(
            "events:\n  a_opened:\n    required: [x]\n    properties:\n      x: integer\n",
            "events:\n  a_opened:\n    required: [x]\n    properties:\n      x: string\n"));
        Assert.Equal((ChangeKind.Breaking, "type-changed", "property x of a_opened"), (c.Kind, c.Code, c.Subject));
        Assert.Contains("from integer to string", c.Message);
    }

    [Fact]
    public void Array_item_type_change_is_breaking()
    {
        var c = Assert.Single(Diff(
            "events:\n  a_opened:\n    required: [productIds]\n    properties:\n      productIds: {type: array, items: string}\n",
            "events:\n  a_opened:\n    required: [productIds]\n    properties:\n      productIds: {type: array, items: integer}\n"));
        Assert.Equal((ChangeKind.Breaking, "type-changed", "property productIds[] of a_opened"), (c.Kind, c.Code, c.Subject));
        Assert.Contains("item type changed from string to integer", c.Message);
    }

    private const string Decision = """
        events:
          mw_decision_made:
            required: [decision]
            properties:
              decision:
                type: object
                properties:
                  department: string
                  tier: {TIER}
        """;

    [Fact]
    public void Nested_field_type_change_is_breaking()
    {
        var c = Assert.Single(Diff(Decision.Replace("{TIER}", "integer"), Decision.Replace("{TIER}", "string")));
        Assert.Equal((ChangeKind.Breaking, "type-changed", "property decision.tier of mw_decision_made"), (c.Kind, c.Code, c.Subject));
        Assert.Equal(11, c.Location.Line);
    }

    [Fact]
    public void Removed_nested_field_is_breaking()
    {
        var withoutTier = Decision.Replace("      tier: {TIER}", "").TrimEnd() + "\n";
        var c = Assert.Single(Diff(Decision.Replace("{TIER}", "integer"), withoutTier));
        Assert.Equal((ChangeKind.Breaking, "property-removed", "property decision.tier of mw_decision_made"), (c.Kind, c.Code, c.Subject));
        Assert.Equal("old.yaml", c.Location.File);
    }

    [Fact]
    public void Optional_property_becoming_required_is_breaking()
    {
        var c = Assert.Single(Diff(
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x], optional: [y]}\n",
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x, y]}\n"));
        Assert.Equal((ChangeKind.Breaking, "now-required", "property y of a_opened"), (c.Kind, c.Code, c.Subject));
    }

    [Fact]
    public void New_required_property_on_an_existing_event_is_breaking()
    {
        var c = Assert.Single(Diff(
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x]}\n",
            "properties: {x: string, y: string}\nevents:\n  a_opened: {required: [x, y]}\n"));
        Assert.Equal((ChangeKind.Breaking, "required-property-added", "property y of a_opened"), (c.Kind, c.Code, c.Subject));
    }

    [Fact]
    public void Enum_with_a_value_removed_is_narrowed_and_breaking()
    {
        var c = Assert.Single(Diff(
            "events:\n  a_opened:\n    required: [channel]\n    properties:\n      channel: {type: enum, values: [sms, email]}\n",
            "events:\n  a_opened:\n    required: [channel]\n    properties:\n      channel: {type: enum, values: [sms, push]}\n"));
        Assert.Equal((ChangeKind.Breaking, "enum-narrowed"), (c.Kind, c.Code));
        Assert.Contains("'email' removed (and 'push' added)", c.Message);
    }

    [Theory]
    [InlineData("{type: string, max_length: 20}", "{type: string, max_length: 10}", "max_length 20 -> 10")]
    [InlineData("{type: string}", "{type: string, max_length: 10}", "max_length none -> 10")]
    [InlineData("{type: string}", "{type: string, pattern: '^[a-z]+$'}", "new pattern")]
    [InlineData("{type: integer, min: 0}", "{type: integer, min: 5}", "min 0 -> 5")]
    [InlineData("{type: integer, max: 9}", "{type: integer, max: 5}", "max 9 -> 5")]
    public void Tightened_constraint_is_breaking(string before, string after, string expected)
    {
        var c = Assert.Single(Diff(
            $"events:\n  a_opened:\n    required: [x]\n    properties:\n      x: {before}\n",
            $"events:\n  a_opened:\n    required: [x]\n    properties:\n      x: {after}\n"));
        Assert.Equal((ChangeKind.Breaking, "constraint-tightened"), (c.Kind, c.Code));
        Assert.Contains(expected, c.Message);
    }

    [Theory]
    [InlineData("hash", "allow", "weaker protection")]
    [InlineData("allow", "hash", "stronger protection")]
    public void Privacy_policy_change_is_breaking_in_either_direction_and_says_why(string before, string after, string direction)
    {
        var c = Assert.Single(Diff(
            $"events:\n  a_opened:\n    required: [email]\n    properties:\n      email: {{type: string, pii: {before}}}\n",
            $"events:\n  a_opened:\n    required: [email]\n    properties:\n      email: {{type: string, pii: {after}}}\n"));
        Assert.Equal((ChangeKind.Breaking, "privacy-changed"), (c.Kind, c.Code));
        Assert.Contains(direction, c.Message);
        Assert.Contains("breaking because stored values change meaning", c.Message);
    }

    [Fact]
    public void A_breaking_change_tells_the_user_to_add_a_versioned_event_instead()
    {
        var c = Assert.Single(Diff(
            "events:\n  user.login:\n    required: [x]\n    properties:\n      x: integer\n",
            "events:\n  user.login:\n    required: [x]\n    properties:\n      x: string\n"));
        Assert.Contains("add 'user.login_v2' as a NEW event beside 'user.login' (that is additive)", c.Message);
        Assert.Contains("mw_events_v2", Versioning.Rule);
    }

    [Fact]
    public void Shared_property_change_is_reported_once_and_names_the_events_that_use_it()
    {
        var changes = Diff(
            "properties:\n  intent: {type: enum, values: [a, b]}\nevents:\n  x_opened: {required: [intent]}\n  y_opened: {required: [intent]}\n",
            "properties:\n  intent: {type: enum, values: [a]}\nevents:\n  x_opened: {required: [intent]}\n  y_opened: {required: [intent]}\n");
        var c = Assert.Single(changes);
        Assert.Equal((ChangeKind.Breaking, "enum-narrowed", "shared property intent"), (c.Kind, c.Code, c.Subject));
        Assert.Contains("'x_opened_v2', 'y_opened_v2'", c.Message);
    }

    [Theory]
    [InlineData("privacy: {undeclared: drop}\n", "privacy: {undeclared: hash}\n", "privacy-changed")]
    [InlineData("envelope: {format: segment}\n", "envelope: {format: flat}\n", "envelope-changed")]
    [InlineData("events:\n  a_opened: {}\n", "events:\n  a_opened: {aggregate_only: true}\n", "aggregate-only-changed")]
    [InlineData("properties:\n  x: {type: string, prehashed: true}\n", "properties:\n  x: {type: string}\n", "privacy-changed")]
    public void Changes_to_what_is_stored_or_how_payloads_are_read_are_breaking(string before, string after, string code)
    {
        var c = Single(Diff(before, after), code);
        Assert.Equal(ChangeKind.Breaking, c.Kind);
    }

    // ---- neutral -----------------------------------------------------------------------------------------

    [Fact]
    public void Description_change_is_neutral()
    {
        var c = Assert.Single(Diff(
            "events:\n  a_opened: {description: Widget opened}\n",
            "events:\n  a_opened: {description: Widget launcher opened}\n"));
        Assert.Equal((ChangeKind.Neutral, "description-changed"), (c.Kind, c.Code));
    }

    [Fact]
    public void Retention_change_is_a_note_with_the_effective_values()
    {
        var changes = Diff(
            "categories:\n  user_events: {retention: 2y}\nevents:\n  a_opened: {category: user_events}\n",
            "categories:\n  user_events: {retention: 1y}\nevents:\n  a_opened: {category: user_events}\n  b_done: {category: user_events, retention: 30d}\n");
        var c = Single(changes, "retention-changed");
        Assert.Equal((ChangeKind.Neutral, "category user_events"), (c.Kind, c.Subject));
        Assert.Contains("2y -> 1y", c.Message);
        Assert.Contains("applies to a_opened", c.Message);
        Assert.Contains("will be deleted", c.Message);
        NothingBreaks(changes);
    }

    [Fact]
    public void Event_retention_change_resolves_through_category_and_defaults()
    {
        var c = Assert.Single(Diff(
            "defaults: {retention: 180d}\nevents:\n  a_opened: {retention: 2y}\n",
            "defaults: {retention: 180d}\nevents:\n  a_opened: {}\n"));
        Assert.Equal((ChangeKind.Neutral, "retention-changed", "event a_opened"), (c.Kind, c.Code, c.Subject));
        Assert.Contains("2y -> 180d", c.Message);
    }

    [Fact]
    public void Funnel_and_kpi_edits_are_neutral_notes_because_they_are_queries()
    {
        var changes = Diff(
            "events:\n  a_opened: {}\n  b_done: {}\nfunnels:\n  f: {steps: [a_opened, b_done]}\nkpis:\n  k: {kind: count_per_day, event: b_done}\n",
            "events:\n  a_opened: {}\n  b_done: {}\nfunnels:\n  f: {steps: [a_opened, b_done], window: 1h}\nkpis:\n  k: {kind: count_per_day, event: a_opened}\n");
        Assert.Equal(["funnel-changed", "kpi-changed"], changes.Select(c => c.Code));
        Assert.All(changes, c => Assert.Equal(ChangeKind.Neutral, c.Kind));
        Assert.Contains("window changed", changes[0].Message);
        Assert.Contains("not schema", changes[1].Message);
    }

    [Fact]
    public void Breaking_changes_under_an_unchanged_version_number_get_a_note()
    {
        var changes = Diff("events:\n  a_opened: {}\n  b_done: {}\n", "events:\n  a_opened: {}\n", newVersion: "1");
        var c = Single(changes, "version-unchanged");
        Assert.Equal((ChangeKind.Neutral, 1), (c.Kind, c.Location.Line));
        Assert.DoesNotContain(Diff("events:\n  a_opened: {}\n", "events:\n  a_opened: {}\n  b_done: {}\n", newVersion: "1"), c => c.Code == "version-unchanged");
    }

    [Theory]
    [InlineData("events:\n  a_opened: {sampling: 100%}\n", "events:\n  a_opened: {sampling: 50%}\n", "sampling-changed")]
    [InlineData("events:\n  a_opened: {}\n", "events:\n  a_opened: {essential: true}\n", "essential-changed")]
    [InlineData("properties:\n  x: string\n", "properties:\n  x: {type: string, export: false}\n", "export-changed")]
    [InlineData("identity: {session: sessionId}\n", "identity: {session: sid}\n", "identity-changed")]
    [InlineData("naming: {style: any}\n", "naming: {style: snake_case}\n", "naming-changed")]
    public void Changes_that_leave_the_schema_alone_are_notes(string before, string after, string code)
    {
        var c = Assert.Single(Diff(before, after));
        Assert.Equal((ChangeKind.Neutral, code), (c.Kind, c.Code));
    }

    [Fact]
    public void Reordering_where_conditions_or_formatting_is_not_a_change()
    {
        var changes = Diff(
            "events:\n  a_opened: {}\nfunnels:\n  f:\n    steps: ['a_opened(x=1, y=2)']\n",
            "events:\n  a_opened: {}\nfunnels:\n  f:\n    steps:\n      - event: a_opened\n        where: {y: 2, x: 1}\n");
        Assert.Empty(changes);
    }

    [Fact]
    public void The_same_plan_compared_with_itself_has_no_changes()
    {
        const string rich = """
            environments: [production, staging]
            envelope: {format: flat, properties: properties, extra: [organization_id]}
            identity: {session: sessionId, merge_by: pii_hash}
            privacy: {undeclared: quarantine, keep_context: [context.library.name]}
            defaults: {retention: 180d, sampling: 50%}
            naming: {style: snake_case}
            categories:
              user_events: {retention: 2y, archive_after: 1y}
            properties:
              sessionId: string
              email: {type: string, pii: hash}
              decision:
                type: object
                required: [tier]
                properties:
                  tier: {type: integer, min: 1, max: 3}
                  tags: {type: array, items: {type: enum, values: [a, b]}}
            events:
              a_opened: {required: [sessionId, decision], optional: [email], category: user_events}
              b_done:
                required: [sessionId]
                properties:
                  rating: {type: enum, values: [great, poor]}
            funnels:
              f: {steps: [a_opened, 'b_done(rating=great)'], exclude: [{event: b_done, after_step: 1, before_step: 2}]}
            kpis:
              k: {kind: conversion_within, start: a_opened, end: b_done, within: 14d, unit: user}
            """;
        Assert.Empty(Diff(rich, rich));
    }
}
