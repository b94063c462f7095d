using System.Globalization;

namespace Tally.Core.Plans.Evolution;

/// <summary>
/// Compares two definitions of the same property: type, array items, nested fields, allowed values, format
/// constraints and privacy. A looser rule is additive (old data still fits); a stricter one is breaking
/// (emitters that were valid get rejected); a different meaning of the stored value is breaking too.
/// </summary>
internal static class PropertyDiff
{
    public static void Compare(PropertyDefinition o, PropertyDefinition n, string path, PropertyScope scope, SourceLocation fallback, ChangeList changes)
    {
        var subject = scope.Subject(path);
        var at = Where(n.Location, fallback);
        if (o.Type != n.Type)
        {
            var what = path.EndsWith("[]", StringComparison.Ordinal) ? "item type" : "type";
            changes.Breaking("type-changed", subject,
                $"{what} changed from {Name(o.Type)} to {Name(n.Type)}; stored values and every reader expect {Name(o.Type)}", at, scope.Hint);
            return;
        }
        if (n.Type == PropertyType.Array) CompareItems(o, n, path, scope, at, changes);
        if (n.Type == PropertyType.Object) CompareFields(o, n, path, scope, at, changes);
        CompareValues(o, n, subject, at, scope, changes);
        CompareConstraints(o, n, subject, at, scope, changes);
        ComparePrivacy(o, n, subject, at, scope, changes);
        if (o.Description != n.Description)
            changes.Neutral("description-changed", subject, "description changed", at);
    }

    private static void CompareItems(PropertyDefinition o, PropertyDefinition n, string path, PropertyScope scope, SourceLocation at, ChangeList changes)
    {
        var subject = scope.Subject(path);
        switch (o.Items, n.Items)
        {
            case (null, { } ni):
                changes.Breaking("constraint-tightened", subject, $"items are now typed as {Name(ni.Type)}; arrays holding anything else are rejected", at, scope.Hint);
                break;
            case ({ } oi, null):
                changes.Additive("constraint-relaxed", subject, $"items are no longer restricted to {Name(oi.Type)}", at);
                break;
            case ({ } oi, { } ni):
                Compare(oi, ni, path + "[]", scope, at, changes);
                break;
        }
    }

    private static void CompareFields(PropertyDefinition o, PropertyDefinition n, string path, PropertyScope scope, SourceLocation at, ChangeList changes)
    {
        var subject = scope.Subject(path);
        if (o.OpenObject && !n.OpenObject)
        {
            changes.Breaking("constraint-tightened", subject,
                $"the object now declares its fields ({string.Join(", ", n.Properties.Select(p => p.Name))}); fields it used to accept freely are now undeclared", at, scope.Hint);
            return;
        }
        if (!o.OpenObject && n.OpenObject)
        {
            changes.Additive("constraint-relaxed", subject, "the object no longer declares its fields and accepts any", at);
            return;
        }
        var match = NameMatch.Of(o.Properties.Select(p => p.Name), n.Properties.Select(p => p.Name));
        foreach (var (was, now) in match.Renamed)
        {
            changes.Breaking("property-renamed", scope.Subject($"{path}.{was}"),
                $"field removed and '{now}' added: renamed? renaming a field is breaking (stored rows and readers still use '{was}')",
                Where(n.FindNested(now)!.Location, at), scope.Hint);
        }
        foreach (var gone in match.Removed)
        {
            changes.Breaking("property-removed", scope.Subject($"{path}.{gone}"),
                "field removed; readers of stored data still expect it", Where(o.FindNested(gone)!.Location, o.Location), scope.Hint);
        }
        foreach (var name in match.Added)
        {
            var def = n.FindNested(name)!;
            if (n.RequiredProperties.Contains(name))
                changes.Breaking("required-property-added", scope.Subject($"{path}.{name}"),
                    "new required field; emitters that do not send it yet will be rejected", Where(def.Location, at), scope.Hint);
            else
                changes.Additive("property-added", scope.Subject($"{path}.{name}"), "new optional field", Where(def.Location, at));
        }
        foreach (var name in match.Kept)
        {
            var od = o.FindNested(name)!;
            var nd = n.FindNested(name)!;
            var wasRequired = o.RequiredProperties.Contains(name);
            var isRequired = n.RequiredProperties.Contains(name);
            var fieldAt = Where(nd.Location, at);
            if (!wasRequired && isRequired)
                changes.Breaking("now-required", scope.Subject($"{path}.{name}"), "optional field is now required; emitters that leave it out will be rejected", fieldAt, scope.Hint);
            else if (wasRequired && !isRequired)
                changes.Additive("now-optional", scope.Subject($"{path}.{name}"), "required field is now optional", fieldAt);
            Compare(od, nd, $"{path}.{name}", scope, fieldAt, changes);
        }
    }

    private static void CompareValues(PropertyDefinition o, PropertyDefinition n, string subject, SourceLocation at, PropertyScope scope, ChangeList changes)
    {
        if (o.Values.SequenceEqual(n.Values)) return;
        // No values means any value is allowed.
        if (o.Values.Count == 0)
        {
            changes.Breaking("enum-narrowed", subject, $"values are now restricted to {List(n.Values)}; other values are rejected", at, scope.Hint);
            return;
        }
        if (n.Values.Count == 0)
        {
            changes.Additive("enum-widened", subject, "values are no longer restricted", at);
            return;
        }
        var removed = o.Values.Except(n.Values).ToList();
        var added = n.Values.Except(o.Values).ToList();
        if (removed.Count > 0)
        {
            var also = added.Count > 0 ? $" (and {List(added)} added)" : "";
            changes.Breaking("enum-narrowed", subject, $"{Plural(removed, "value")} {List(removed)} removed{also}; emitters still sending {(removed.Count == 1 ? "it" : "them")} will be rejected", at, scope.Hint);
        }
        else if (added.Count > 0)
        {
            changes.Additive("enum-widened", subject, $"{Plural(added, "value")} {List(added)} added", at);
        }
        // Same values in a new order: nothing to report.
    }

    private static void CompareConstraints(PropertyDefinition o, PropertyDefinition n, string subject, SourceLocation at, PropertyScope scope, ChangeList changes)
    {
        // For each bound: is the new one looser (additive) or stricter (breaking)? Null means unbounded.
        Bound("max_length", o.MaxLength, n.MaxLength, higherIsLooser: true);
        Bound("min", o.Min, n.Min, higherIsLooser: false);
        Bound("max", o.Max, n.Max, higherIsLooser: true);
        switch (o.Pattern, n.Pattern)
        {
            case (null, { } p):
                changes.Breaking("constraint-tightened", subject, $"new pattern '{p}'; values that do not match are rejected", at, scope.Hint);
                break;
            case ({ } p, null):
                changes.Additive("constraint-relaxed", subject, $"pattern '{p}' removed", at);
                break;
            case ({ } a, { } b) when a != b:
                changes.Breaking("constraint-tightened", subject,
                    $"pattern changed from '{a}' to '{b}'; Tally cannot prove the new pattern accepts every value the old one did", at, scope.Hint);
                break;
        }

        void Bound(string key, double? was, double? now, bool higherIsLooser)
        {
            if (was == now) return;
            bool looser = (was, now) switch
            {
                (_, null) => true,
                (null, _) => false,
                _ => higherIsLooser ? now > was : now < was,
            };
            var text = $"{key} {Show(was)} -> {Show(now)}";
            if (looser) changes.Additive("constraint-relaxed", subject, $"{text} (looser)", at);
            else changes.Breaking("constraint-tightened", subject, $"{text} (stricter); values that were valid may now be rejected", at, scope.Hint);
        }
    }

    private static void ComparePrivacy(PropertyDefinition o, PropertyDefinition n, string subject, SourceLocation at, PropertyScope scope, ChangeList changes)
    {
        if (o.Privacy != n.Privacy)
        {
            var direction = Strength(n.Privacy).CompareTo(Strength(o.Privacy)) switch
            {
                < 0 => "weaker protection",
                > 0 => "stronger protection",
                _ => "different protection",
            };
            changes.Breaking("privacy-changed", subject,
                $"privacy policy changed from {Name(o.Privacy)} to {Name(n.Privacy)} ({direction}); a privacy change is breaking because stored values change meaning " +
                $"({Effect(o.Privacy)} before, {Effect(n.Privacy)} after) and old and new rows can no longer be compared or joined", at, scope.Hint);
        }
        if (o.Prehashed != n.Prehashed)
        {
            changes.Breaking("privacy-changed", subject,
                n.Prehashed ? "now arrives already hashed by the client; stored values change meaning" : "no longer arrives hashed by the client; stored values change meaning",
                at, scope.Hint);
        }
        if (!o.OnlyIn.SequenceEqual(n.OnlyIn))
        {
            // Empty means every environment; a narrower set means the field stops arriving somewhere it used to.
            var narrower = n.OnlyIn.Count > 0 && (o.OnlyIn.Count == 0 || o.OnlyIn.Except(n.OnlyIn).Any());
            var now = n.OnlyIn.Count == 0 ? "every environment" : string.Join(", ", n.OnlyIn);
            var was = o.OnlyIn.Count == 0 ? "every environment" : string.Join(", ", o.OnlyIn);
            if (narrower)
                changes.Breaking("only-in-changed", subject, $"kept only in {now} (was {was}); it stops arriving where readers had it", at, scope.Hint);
            else
                changes.Additive("only-in-changed", subject, $"kept in {now} (was {was})", at);
        }
        if (o.Export != n.Export)
        {
            changes.Neutral("export-changed", subject,
                n.Export ? "will now leave in exports; check that this is intended" : "will no longer leave in exports", at);
        }
        if (o.Sanitized != n.Sanitized)
        {
            changes.Neutral("sanitized-changed", subject,
                n.Sanitized ? "the emitter now guarantees it holds no personal data" : "no longer marked sanitized; the linter will check it for personal data", at);
        }
    }

    /// <summary>Rough order of protection, for telling the reader which way a privacy change goes.</summary>
    private static int Strength(PrivacyPolicy p) => p switch
    {
        PrivacyPolicy.Allow => 0,
        PrivacyPolicy.Day or PrivacyPolicy.Ip => 1,
        PrivacyPolicy.Hash => 2,
        PrivacyPolicy.Length => 3,
        PrivacyPolicy.Drop => 4,
        _ => 0,
    };

    private static string Effect(PrivacyPolicy p) => p switch
    {
        PrivacyPolicy.Allow => "stored as sent",
        PrivacyPolicy.Hash => "stored as an HMAC-SHA256 hash",
        PrivacyPolicy.Drop => "not stored",
        PrivacyPolicy.Length => "stored as its length",
        PrivacyPolicy.Day => "stored as its UTC day",
        PrivacyPolicy.Ip => "stored with the host part zeroed",
        _ => p.ToString(),
    };

    internal static SourceLocation Where(SourceLocation preferred, SourceLocation fallback) =>
        preferred.Line > 0 ? preferred : fallback;

    internal static string Name(PropertyType t) => t.ToString().ToLowerInvariant();

    private static string Name(PrivacyPolicy p) => p.ToString().ToLowerInvariant();

    private static string List(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));

    private static string Plural(IReadOnlyCollection<string> items, string word) => items.Count == 1 ? word : word + "s";

    private static string Show(double? d) => d is null ? "none" : d.Value.ToString(CultureInfo.InvariantCulture);
}
