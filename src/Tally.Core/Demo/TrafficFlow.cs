using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>A journey one actor goes through in one flow of the demo (a widget session, a student's first day, a ticket).</summary>
public sealed record TrafficFlow
{
    public required string Name { get; init; }
    /// <summary>Relative share of flows of this kind.</summary>
    public double Weight { get; init; } = 1;
    /// <summary>Values drawn once per flow and used by its steps as <c>$name</c> (the same product, persona or workflow throughout).</summary>
    public IReadOnlyList<PropertySpec> Vars { get; init; } = [];
    public ActorSettings? Actors { get; init; }
    public IReadOnlyList<TrafficStep> Steps { get; init; } = [];
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
