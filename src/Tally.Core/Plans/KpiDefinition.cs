namespace Tally.Core.Plans;

public enum KpiKind
{
    /// <summary>count(numerator) / count(denominator), each a filtered event count.</summary>
    Ratio,
    /// <summary>Events matching <see cref="KpiDefinition.Event"/> per day (optionally grouped).</summary>
    CountPerDay,
    /// <summary>Distinct actors doing <see cref="KpiDefinition.Event"/> per <see cref="KpiDefinition.Period"/> (WAU).</summary>
    DistinctActors,
    /// <summary>Share of actors who did <see cref="KpiDefinition.Start"/> and then <see cref="KpiDefinition.End"/> within <see cref="KpiDefinition.Within"/>.</summary>
    ConversionWithin,
    /// <summary>Average over actors of (last − first) value of <see cref="KpiDefinition.Property"/> on <see cref="KpiDefinition.Event"/>.</summary>
    AverageChange,
    /// <summary>count(numerator)/count(denominator) per group of <see cref="KpiDefinition.GroupBy"/> (seed 004's error rate by endpoint and status).</summary>
    RateBy,
    /// <summary>Median of a numeric property per session (seed 002's ROI engagement time).</summary>
    Median,
}

/// <summary>A named KPI. Which fields apply depends on <see cref="Kind"/>; the linter checks the combination.</summary>
public sealed record KpiDefinition
{
    public required string Name { get; init; }
    public required KpiKind Kind { get; init; }
    public string? Description { get; init; }
    public string? Persona { get; init; }
    public EventFilter? Numerator { get; init; }
    public EventFilter? Denominator { get; init; }
    public EventFilter? Event { get; init; }
    public EventFilter? Start { get; init; }
    public EventFilter? End { get; init; }
    public TimeSpan? Within { get; init; }
    public string? Property { get; init; }
    public CountingUnit Unit { get; init; } = CountingUnit.Event;
    /// <summary>Bucket for <see cref="KpiKind.DistinctActors"/>: <c>day</c>, <c>week</c> or <c>month</c>.</summary>
    public string Period { get; init; } = "day";
    public IReadOnlyList<string> GroupBy { get; init; } = [];
    /// <summary>Why the KPI is approximated or cannot be computed from events alone; shown by the CLI.</summary>
    public string? Note { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
