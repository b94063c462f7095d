namespace Tally.Core.Plans;

/// <summary>A retention class shared by several events (seed 001's <c>user_events</c>, <c>security_events</c>, …).</summary>
public sealed record CategoryDefinition
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public TimeSpan? Retention { get; init; }
    public TimeSpan? ArchiveAfter { get; init; }
    public string? Reason { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
