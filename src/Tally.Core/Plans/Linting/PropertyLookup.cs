namespace Tally.Core.Plans.Linting;

/// <summary>
/// The outcome of looking a (possibly dotted) property name up. When it fails, it says which part was missing and
/// what was there instead, so the message can point at the exact segment and suggest a name.
/// </summary>
/// <param name="Definition">The definition found; null when not found, or when the name reaches into an open object whose fields are not declared.</param>
/// <param name="Parent">For a missing or untraversable nested part: the dotted path above it.</param>
internal sealed record PropertyLookup(bool Found, PropertyDefinition? Definition, string Missing, string? Parent, IReadOnlyList<string> Candidates, PropertyDefinition? ParentDefinition)
{
    /// <summary>
    /// Resolves <paramref name="name"/> for <paramref name="evt"/> with the same precedence as
    /// <see cref="TrackingPlan.ResolveProperty"/> (event-local, then shared). With no event, any definition in the plan counts.
    /// </summary>
    public static PropertyLookup Resolve(TrackingPlan plan, EventDefinition? evt, string name)
    {
        var parts = name.Split('.');
        var head = parts[0];
        var topLevel = TopLevel(plan, evt).ToList();
        var def = topLevel.FirstOrDefault(p => p.Name == head);
        if (def is null) return new(false, null, head, null, topLevel.Select(p => p.Name).Distinct().ToList(), null);
        for (var i = 1; i < parts.Length; i++)
        {
            var parent = string.Join('.', parts[..i]);
            if (def.OpenObject) return new(true, null, "", null, [], def);
            if (def.Type != PropertyType.Object) return new(false, null, parts[i], parent, [], def);
            var next = def.FindNested(parts[i]);
            if (next is null) return new(false, null, parts[i], parent, def.Properties.Select(p => p.Name).ToList(), def);
            def = next;
        }
        return new(true, def, "", null, [], null);
    }

    private static IEnumerable<PropertyDefinition> TopLevel(TrackingPlan plan, EventDefinition? evt) =>
        evt is not null
            ? evt.Properties.Concat(plan.Properties)
            : plan.Properties.Concat(plan.Events.SelectMany(e => e.Properties));
}
