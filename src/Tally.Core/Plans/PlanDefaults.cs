namespace Tally.Core.Plans;

public sealed record PlanDefaults
{
    public TimeSpan? Retention { get; init; }
    public TimeSpan? ArchiveAfter { get; init; }
    public double Sampling { get; init; } = 1.0;
    /// <summary>How long daily roll-ups are kept (seed 000: forever, seed 004: 180 days).</summary>
    public TimeSpan AggregateRetention { get; init; } = PlanDuration.Forever;
    public string? Environment { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
