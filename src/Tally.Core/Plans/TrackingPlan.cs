namespace Tally.Core.Plans;

/// <summary>A team's tracking plan, loaded from YAML. Immutable; every element knows where it was written.</summary>
public sealed record TrackingPlan
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Environments { get; init; } = ["production"];
    public EnvelopeDefinition Envelope { get; init; } = EnvelopeDefinition.SegmentDefault;
    public IdentityDefinition Identity { get; init; } = new();
    public PrivacySettings Privacy { get; init; } = new();
    public PlanDefaults Defaults { get; init; } = new();
    public NamingRules Naming { get; init; } = new();
    public IReadOnlyList<CategoryDefinition> Categories { get; init; } = [];
    public IReadOnlyList<PropertyDefinition> Properties { get; init; } = [];
    public IReadOnlyList<EventDefinition> Events { get; init; } = [];
    public IReadOnlyList<JourneyDefinition> Journeys { get; init; } = [];
    public IReadOnlyList<FunnelDefinition> Funnels { get; init; } = [];
    public IReadOnlyList<KpiDefinition> Kpis { get; init; } = [];
    public IReadOnlyList<AttributionDefinition> Attributions { get; init; } = [];
    public string SourceFile { get; init; } = "";
    public SourceLocation Location { get; init; } = SourceLocation.None;

    public EventDefinition? FindEvent(string name)
    {
        foreach (var e in Events) if (e.Name == name) return e;
        return null;
    }

    public CategoryDefinition? FindCategory(string? name)
    {
        if (name is null) return null;
        foreach (var c in Categories) if (c.Name == name) return c;
        return null;
    }

    /// <summary>The definition of <paramref name="property"/> as it applies to <paramref name="evt"/>: event-local first, then shared. Dotted names reach into objects.</summary>
    public PropertyDefinition? ResolveProperty(EventDefinition evt, string property)
    {
        var dot = property.IndexOf('.');
        if (dot < 0 && PropertyIndex.Of(this).TryResolve(evt, property, out var indexed)) return indexed;
        var head = dot < 0 ? property : property[..dot];
        PropertyDefinition? def = null;
        foreach (var p in evt.Properties) if (p.Name == head) { def = p; break; }
        if (def is null) foreach (var p in Properties) if (p.Name == head) { def = p; break; }
        if (def is null || dot < 0) return def;
        var rest = property[(dot + 1)..];
        while (def is not null)
        {
            var d = rest.IndexOf('.');
            var part = d < 0 ? rest : rest[..d];
            def = def.FindNested(part);
            if (d < 0) return def;
            rest = rest[(d + 1)..];
        }
        return null;
    }

    /// <summary>Retention for raw events: event, then category, then plan default; null if none is declared.</summary>
    public TimeSpan? RetentionOf(EventDefinition evt) => evt.Retention ?? FindCategory(evt.Category)?.Retention ?? Defaults.Retention;

    public TimeSpan? ArchiveAfterOf(EventDefinition evt) => evt.ArchiveAfter ?? FindCategory(evt.Category)?.ArchiveAfter ?? Defaults.ArchiveAfter;

    public double SamplingOf(EventDefinition evt) => evt.Sampling ?? Defaults.Sampling;
}
