namespace Tally.Core.Plans;

public sealed record JourneyDefinition
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];
    /// <summary>Journeys are followed within one session by default; the window bounds the whole journey.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);
    public CountingUnit Unit { get; init; } = CountingUnit.Session;
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
