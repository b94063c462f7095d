namespace Tally.Core.Plans.Evolution;

/// <summary>Plan-wide sections: environments, envelope, identity, privacy, defaults, naming, categories, shared properties.</summary>
public static partial class PlanDiff
{
    private static void CompareEnvironments(TrackingPlan old, TrackingPlan @new, ChangeList changes)
    {
        foreach (var env in @new.Environments.Except(old.Environments))
            changes.Additive("environment-added", $"environment {env}", "new environment", @new.Location);
        foreach (var env in old.Environments.Except(@new.Environments))
            changes.Breaking("environment-removed", $"environment {env}", "removed; events sent from it no longer match the plan", old.Location, Versioning.Hint(null));
    }

    /// <summary>One line for what breaks in the envelope and one for what it adds, rather than a line per field.</summary>
    private static void CompareEnvelope(EnvelopeDefinition o, EnvelopeDefinition n, TrackingPlan plan, ChangeList changes)
    {
        var at = PropertyDiff.Where(n.Location, plan.Location);
        var breaking = new List<string>();
        var additive = new List<string>();
        if (o.Format != n.Format)
            breaking.Add($"format {o.Format.ToString().ToLowerInvariant()} -> {n.Format.ToString().ToLowerInvariant()}");
        Field("event", o.Event, n.Event);
        Field("timestamp", o.Timestamp, n.Timestamp);
        Field("event_id", o.EventId, n.EventId);
        Field("anonymous_id", o.AnonymousId, n.AnonymousId);
        Field("user_id", o.UserId, n.UserId);
        Field("session_id", o.SessionId, n.SessionId);
        Field("environment", o.Environment, n.Environment);
        Field("source", o.Source, n.Source);
        Field("sent_at", o.SentAt, n.SentAt);
        Field("properties", o.Properties, n.Properties, "(the payload root)");
        Field("count", o.Count, n.Count);
        additive.AddRange(n.Extra.Except(o.Extra).Select(x => $"'{x}' is now lifted into the properties"));
        breaking.AddRange(o.Extra.Except(n.Extra).Select(x => $"'{x}' is no longer lifted into the properties"));
        if (breaking.Count > 0)
            changes.Breaking("envelope-changed", "envelope", $"{string.Join(", ", breaking)}; payloads of the old shape will be misread", at, Versioning.Hint(null));
        if (additive.Count > 0)
            changes.Additive("envelope-changed", "envelope", string.Join(", ", additive), at);

        void Field(string key, string? was, string? now, string unmapped = "(not read)")
        {
            if (was == now) return;
            // Mapping a field that was not mapped before takes nothing away; moving or unmapping one misreads old payloads.
            if (string.IsNullOrEmpty(was)) additive.Add($"{key} is now read from '{now}'");
            else breaking.Add($"{key} '{was}' -> {(string.IsNullOrEmpty(now) ? unmapped : $"'{now}'")}");
        }
    }

    private static void CompareIdentity(IdentityDefinition o, IdentityDefinition n, TrackingPlan plan, ChangeList changes)
    {
        var at = PropertyDiff.Where(n.Location, plan.Location);
        if (o.Identifiers && !n.Identifiers)
            changes.Breaking("identity-changed", "identity", "identifiers: false -- actor ids are no longer stored, so stored rows change meaning", at, Versioning.Hint(null));
        else if (!o.Identifiers && n.Identifiers)
            changes.Neutral("identity-changed", "identity", "identifiers: true -- actor ids are stored from now on; check this is intended", at);
        var what = new List<string>();
        if (o.Session != n.Session) what.Add("session");
        if (o.SessionWindow != n.SessionWindow) what.Add("session_window");
        if (o.MergeBy != n.MergeBy) what.Add("merge_by");
        if (o.OptOutProperty != n.OptOutProperty) what.Add("opt_out_property");
        if (o.OptOutEvent != n.OptOutEvent) what.Add("opt_out_event");
        if (what.Count > 0)
            changes.Neutral("identity-changed", "identity",
                $"{string.Join(", ", what)} changed; this changes how actors and sessions are counted, so funnels and KPIs before and after are not comparable", at);
    }

    private static void ComparePrivacySettings(PrivacySettings o, PrivacySettings n, TrackingPlan plan, ChangeList changes)
    {
        var at = PropertyDiff.Where(n.Location, plan.Location);
        if (o.Undeclared != n.Undeclared)
            changes.Breaking("privacy-changed", "privacy",
                $"undeclared policy changed from {o.Undeclared.ToString().ToLowerInvariant()} to {n.Undeclared.ToString().ToLowerInvariant()}; a privacy change is breaking because what is stored for undeclared fields changes meaning",
                at, Versioning.Hint(null));
        foreach (var c in n.KeepContext.Except(o.KeepContext))
            changes.Additive("keep-context-changed", "privacy", $"context field '{c}' is now kept", at);
        foreach (var c in o.KeepContext.Except(n.KeepContext))
            changes.Breaking("keep-context-changed", "privacy", $"context field '{c}' is no longer kept; readers lose it", at, Versioning.Hint(null));
    }

    private static void CompareDefaults(PlanDefaults o, PlanDefaults n, TrackingPlan plan, ChangeList changes)
    {
        var at = PropertyDiff.Where(n.Location, plan.Location);
        RetentionNote("defaults", "raw retention", o.Retention, n.Retention, at, changes);
        ArchiveNote("defaults", o.ArchiveAfter, n.ArchiveAfter, at, changes);
        RetentionNote("defaults", "aggregate retention", o.AggregateRetention, n.AggregateRetention, at, changes);
        if (o.Sampling != n.Sampling)
            changes.Neutral("sampling-changed", "defaults",
                $"sampling {Percent(o.Sampling)} -> {Percent(n.Sampling)}; raw counts before and after the change are not directly comparable", at);
        if (o.Environment != n.Environment)
            changes.Neutral("defaults-changed", "defaults", $"environment {o.Environment ?? "none"} -> {n.Environment ?? "none"}", at);
    }

    private static void CompareNaming(NamingRules o, NamingRules n, TrackingPlan plan, ChangeList changes)
    {
        if (o.Style == n.Style && o.Pattern == n.Pattern && o.Prefixes.SequenceEqual(n.Prefixes) && o.PrefixRequired == n.PrefixRequired && o.MinWords == n.MinWords)
            return;
        changes.Neutral("naming-changed", "naming",
            "naming rules changed; the linter checks names against the new rules, existing events are not renamed", PropertyDiff.Where(n.Location, plan.Location));
    }

    private static void CompareCategories(TrackingPlan old, TrackingPlan @new, ChangeList changes)
    {
        foreach (var n in @new.Categories)
        {
            var subject = $"category {n.Name}";
            if (old.FindCategory(n.Name) is not { } o)
            {
                changes.Neutral("category-added", subject, "new category", n.Location);
                continue;
            }
            var users = @new.Events.Where(e => e.Category == n.Name && e.Retention is null).Select(e => e.Name).ToList();
            var usedBy = users.Count > 0 ? $" (applies to {string.Join(", ", users)})" : "";
            if (o.Retention != n.Retention)
                RetentionNote(subject, "raw retention", o.Retention ?? old.Defaults.Retention, n.Retention ?? @new.Defaults.Retention, n.Location, changes, usedBy);
            if (o.ArchiveAfter != n.ArchiveAfter)
                ArchiveNote(subject, o.ArchiveAfter, n.ArchiveAfter, n.Location, changes);
            if (o.Description != n.Description || o.Reason != n.Reason)
                changes.Neutral("description-changed", subject, "description or reason changed", n.Location);
        }
        foreach (var o in old.Categories.Where(c => @new.FindCategory(c.Name) is null))
            changes.Neutral("category-removed", $"category {o.Name}", "removed; events in it fall back to the plan's default retention", o.Location);
    }

    private static void CompareSharedProperties(TrackingPlan old, TrackingPlan @new, ChangeList changes)
    {
        var match = NameMatch.Of(old.Properties.Select(p => p.Name), @new.Properties.Select(p => p.Name));
        foreach (var name in match.Added)
        {
            var def = @new.Properties.First(p => p.Name == name);
            changes.Additive("shared-property-added", $"shared property {name}", "new shared property", PropertyDiff.Where(def.Location, @new.Location));
        }
        foreach (var (was, now) in match.Renamed)
        {
            var def = @new.Properties.First(p => p.Name == now);
            changes.Breaking("property-renamed", $"shared property {was}",
                $"removed and '{now}' added: renamed? renaming a property is breaking (emitters still send '{was}', stored rows and reports use it)",
                PropertyDiff.Where(def.Location, @new.Location), Versioning.Hint(null, UsersOf(old, was)));
        }
        foreach (var name in match.Removed)
        {
            var def = old.Properties.First(p => p.Name == name);
            changes.Breaking("property-removed", $"shared property {name}", "shared definition removed; events that list it lose their definition",
                PropertyDiff.Where(def.Location, old.Location), Versioning.Hint(null, UsersOf(old, name)));
        }
        foreach (var name in match.Kept)
        {
            var o = old.Properties.First(p => p.Name == name);
            var n = @new.Properties.First(p => p.Name == name);
            PropertyDiff.Compare(o, n, name, new PropertyScope(null, UsersOf(@new, name)), @new.Location, changes);
        }
    }

    /// <summary>Events that list <paramref name="property"/> without a definition of their own, i.e. that use the shared one.</summary>
    private static IReadOnlyList<string> UsersOf(TrackingPlan plan, string property) =>
        plan.Events.Where(e => (e.Declares(property)) && e.Properties.All(p => p.Name != property)).Select(e => e.Name).ToList();

    private static void RetentionNote(string subject, string what, TimeSpan? was, TimeSpan? now, SourceLocation at, ChangeList changes, string suffix)
    {
        if (was == now) return;
        var shorter = now is { } n && (was is null || n < was.Value);
        var consequence = shorter ? $"; stored data older than {Duration(now)} will be deleted at the next retention sweep" : "";
        changes.Neutral("retention-changed", subject, $"{what} {Duration(was)} -> {Duration(now)}{suffix}{consequence}", at);
    }
}
