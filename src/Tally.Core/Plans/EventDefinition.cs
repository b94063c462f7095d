namespace Tally.Core.Plans;

/// <summary>One event of the plan with everything the collector and governance need to enforce it.</summary>
public sealed record EventDefinition
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public string? Category { get; init; }
    public IReadOnlyList<string> Required { get; init; } = [];
    public IReadOnlyList<string> Optional { get; init; } = [];
    /// <summary>Definitions that apply to this event only; they win over the plan's shared definitions of the same name.</summary>
    public IReadOnlyList<PropertyDefinition> Properties { get; init; } = [];
    /// <summary>Kept for actors who opted out (security and consent records).</summary>
    public bool Essential { get; init; }
    /// <summary>Share of sessions/actors kept, 0..1; null means the plan default.</summary>
    public double? Sampling { get; init; }
    /// <summary>The lowest sampling rate the plan owner allows for this event (seed 000: 50% for products_shown).</summary>
    public double? MinSampling { get; init; }
    public TimeSpan? Retention { get; init; }
    public TimeSpan? ArchiveAfter { get; init; }
    /// <summary>Never stored raw: only daily counts by source are kept (seed 004).</summary>
    public bool AggregateOnly { get; init; }
    /// <summary>Where this event is emitted, for people reading the plan (seed 002's emission map).</summary>
    public IReadOnlyList<string> Personas { get; init; } = [];
    public string? Owner { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;

    public IEnumerable<string> AllPropertyNames => Required.Concat(Optional);

    public bool Declares(string property) => Required.Contains(property) || Optional.Contains(property);
}
