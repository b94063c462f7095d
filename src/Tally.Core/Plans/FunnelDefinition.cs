namespace Tally.Core.Plans;

/// <summary>Actors who did <see cref="Filter"/> between steps <see cref="AfterStep"/> and <see cref="BeforeStep"/> (1-based) are left out.</summary>
public sealed record ExclusionDefinition(EventFilter Filter, int AfterStep, int BeforeStep);

public sealed record FunnelDefinition
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public CountingUnit Unit { get; init; } = CountingUnit.Session;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
    public IReadOnlyList<ExclusionDefinition> Exclusions { get; init; } = [];
    public string? BreakdownBy { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
