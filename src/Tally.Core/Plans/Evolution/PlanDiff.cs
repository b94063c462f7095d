namespace Tally.Core.Plans.Evolution;

/// <summary>
/// Compares two versions of a tracking plan and classifies every difference as additive, breaking or neutral,
/// so CI can refuse a change that would reject old emitters or mislead old readers (seed 003: "additive changes
/// only; any breaking change requires a new versioned table"). Locations point into the new plan, or into the
/// old plan for things that were removed.
/// </summary>
public static partial class PlanDiff
{
    public static IReadOnlyList<PlanChange> Compare(TrackingPlan old, TrackingPlan @new)
    {
        var changes = new ChangeList();
        CompareEnvironments(old, @new, changes);
        CompareEnvelope(old.Envelope, @new.Envelope, @new, changes);
        CompareIdentity(old.Identity, @new.Identity, @new, changes);
        ComparePrivacySettings(old.Privacy, @new.Privacy, @new, changes);
        CompareDefaults(old.Defaults, @new.Defaults, @new, changes);
        CompareNaming(old.Naming, @new.Naming, @new, changes);
        CompareCategories(old, @new, changes);
        CompareSharedProperties(old, @new, changes);
        CompareEvents(old, @new, changes);
        CompareQueries(old, @new, changes);
        if (old.Version == @new.Version && changes.Changes.Any(c => c.Kind == ChangeKind.Breaking))
        {
            changes.Neutral("version-unchanged", $"plan {@new.Name}",
                $"version is still '{@new.Version}' although the plan has breaking changes", @new.Location);
        }
        return changes.Changes;
    }

    private static void CompareEvents(TrackingPlan old, TrackingPlan @new, ChangeList changes)
    {
        var match = NameMatch.Of(old.Events.Select(e => e.Name), @new.Events.Select(e => e.Name));
        foreach (var name in @new.Events.Select(e => e.Name))
        {
            var n = @new.FindEvent(name)!;
            if (match.Kept.Contains(name))
            {
                CompareEvent(old, old.FindEvent(name)!, @new, n, changes);
            }
            else if (match.Added.Contains(name))
            {
                var predecessor = old.Events.FirstOrDefault(e => Versioning.IsLaterVersionOf(name, e.Name) && @new.FindEvent(e.Name) is not null);
                changes.Additive("event-added", $"event {name}", predecessor is null
                    ? "new event"
                    : $"new event, a new version beside '{predecessor.Name}' (additive: '{predecessor.Name}' is untouched and can be retired later)", n.Location);
            }
        }
        foreach (var (was, now) in match.Renamed)
        {
            var detail = Versioning.IsLaterVersionOf(now, was)
                ? $"removed and replaced by '{now}'; adding '{now}' is additive, but removing '{was}' is breaking: keep '{was}' beside '{now}' until nobody emits or reads it"
                : $"removed and '{now}' added: renamed? renaming an event is breaking (emitters still send '{was}', stored rows and reports use it)";
            changes.Breaking("event-renamed", $"event {was}", detail, @new.FindEvent(now)!.Location,
                Versioning.IsLaterVersionOf(now, was) ? "" : Versioning.Hint(was));
        }
        foreach (var name in match.Removed)
        {
            changes.Breaking("event-removed", $"event {name}", "removed; emitters that still send it will be rejected and reports that read it go empty",
                old.FindEvent(name)!.Location, Versioning.Hint(name));
        }
    }

    private static void CompareEvent(TrackingPlan oldPlan, EventDefinition o, TrackingPlan newPlan, EventDefinition n, ChangeList changes)
    {
        var subject = $"event {n.Name}";
        var scope = PropertyScope.OfEvent(n.Name);
        var hint = Versioning.Hint(n.Name);
        var oldProps = PropertySet(o);
        var newProps = PropertySet(n);
        var match = NameMatch.Of(oldProps.Keys, newProps.Keys);
        foreach (var (was, now) in match.Renamed)
        {
            changes.Breaking("property-renamed", scope.Subject(was),
                $"removed and '{now}' added: renamed? renaming a property is breaking (emitters still send '{was}', stored rows and reports use it)",
                PropertyLocation(n, now), hint);
        }
        foreach (var name in match.Removed)
        {
            changes.Breaking("property-removed", scope.Subject(name), "removed from the event; readers of stored data still expect it",
                PropertyLocation(o, name), hint);
        }
        foreach (var name in match.Added)
        {
            if (newProps[name])
                changes.Breaking("required-property-added", scope.Subject(name),
                    "new required property on an existing event; emitters that do not send it yet will be rejected (add it as optional instead)",
                    PropertyLocation(n, name), hint);
            else
                changes.Additive("property-added", scope.Subject(name), "new optional property", PropertyLocation(n, name));
        }
        foreach (var name in match.Kept)
        {
            var at = PropertyLocation(n, name);
            if (!oldProps[name] && newProps[name])
                changes.Breaking("now-required", scope.Subject(name), "optional property is now required; emitters that leave it out will be rejected", at, hint);
            else if (oldProps[name] && !newProps[name])
                changes.Additive("now-optional", scope.Subject(name), "required property is now optional", at);
            CompareEventProperty(oldPlan, o, newPlan, n, name, scope, at, changes);
        }
        CompareEventSettings(oldPlan, o, newPlan, n, subject, hint, changes);
    }

    /// <summary>
    /// Compares the definition a property has on this event. When both versions use the shared definition, the
    /// shared comparison reports it once for every event instead.
    /// </summary>
    private static void CompareEventProperty(TrackingPlan oldPlan, EventDefinition o, TrackingPlan newPlan, EventDefinition n, string name,
        PropertyScope scope, SourceLocation at, ChangeList changes)
    {
        var wasLocal = o.Properties.Any(p => p.Name == name);
        var isLocal = n.Properties.Any(p => p.Name == name);
        if (!wasLocal && !isLocal) return;
        var od = oldPlan.ResolveProperty(o, name);
        var nd = newPlan.ResolveProperty(n, name);
        switch (od, nd)
        {
            case ({ } a, { } b):
                PropertyDiff.Compare(a, b, name, scope, at, changes);
                break;
            case (null, { }):
                changes.Neutral("definition-added", scope.Subject(name), "now has a definition", at);
                break;
            case ({ }, null):
                changes.Neutral("definition-removed", scope.Subject(name), "no longer has a definition (the linter reports it as unknown-property)", at);
                break;
        }
    }

    private static void CompareEventSettings(TrackingPlan oldPlan, EventDefinition o, TrackingPlan newPlan, EventDefinition n, string subject, string hint, ChangeList changes)
    {
        if (o.AggregateOnly != n.AggregateOnly)
        {
            if (n.AggregateOnly)
                changes.Breaking("aggregate-only-changed", subject, "now aggregate_only: raw events are no longer stored, only daily counts", n.Location, hint);
            else
                changes.Additive("aggregate-only-changed", subject, "no longer aggregate_only: raw events are stored from now on", n.Location);
        }
        if (o.Category != n.Category)
            changes.Neutral("category-changed", subject, $"category changed from {o.Category ?? "none"} to {n.Category ?? "none"}", n.Location);
        if (o.Retention != n.Retention || o.Category != n.Category)
            RetentionNote(subject, "raw retention", oldPlan.RetentionOf(o), newPlan.RetentionOf(n), n.Location, changes);
        if (o.ArchiveAfter != n.ArchiveAfter || o.Category != n.Category)
            ArchiveNote(subject, oldPlan.ArchiveAfterOf(o), newPlan.ArchiveAfterOf(n), n.Location, changes);
        if (o.Sampling != n.Sampling && oldPlan.SamplingOf(o) != newPlan.SamplingOf(n))
            changes.Neutral("sampling-changed", subject,
                $"sampling {Percent(oldPlan.SamplingOf(o))} -> {Percent(newPlan.SamplingOf(n))}; raw counts before and after the change are not directly comparable", n.Location);
        if (o.MinSampling != n.MinSampling)
            changes.Neutral("sampling-changed", subject, $"min_sampling {Percent(o.MinSampling)} -> {Percent(n.MinSampling)}", n.Location);
        if (o.Essential != n.Essential)
            changes.Neutral("essential-changed", subject, n.Essential
                ? "now essential: kept for actors who opted out"
                : "no longer essential: dropped for actors who opted out", n.Location);
        if (o.Description != n.Description)
            changes.Neutral("description-changed", subject, "description changed", n.Location);
        if (o.Owner != n.Owner || !o.Personas.SequenceEqual(n.Personas))
            changes.Neutral("metadata-changed", subject, "owner or personas changed", n.Location);
    }

    /// <summary>An event's properties, each with whether it is required. Event-local definitions not listed count as optional.</summary>
    private static Dictionary<string, bool> PropertySet(EventDefinition e)
    {
        var set = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var r in e.Required) set[r] = true;
        foreach (var o in e.Optional) set.TryAdd(o, false);
        foreach (var p in e.Properties) set.TryAdd(p.Name, false);
        return set;
    }

    private static SourceLocation PropertyLocation(EventDefinition e, string name)
    {
        foreach (var p in e.Properties) if (p.Name == name) return PropertyDiff.Where(p.Location, e.Location);
        return e.Location;
    }

    private static void RetentionNote(string subject, string what, TimeSpan? was, TimeSpan? now, SourceLocation at, ChangeList changes) =>
        RetentionNote(subject, what, was, now, at, changes, "");

    private static void ArchiveNote(string subject, TimeSpan? was, TimeSpan? now, SourceLocation at, ChangeList changes)
    {
        if (was == now) return;
        changes.Neutral("retention-changed", subject, $"archive_after {Duration(was)} -> {Duration(now)}", at);
    }

    private static string Duration(TimeSpan? t) => t is null ? "none" : PlanDuration.Format(t.Value);

    private static string Percent(double? d) => d is null ? "none" : $"{d.Value * 100:0.##}%";
}
