using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>
/// What demo traffic for one plan looks like (<c>plans/&lt;plan&gt;.traffic.yaml</c>, format in docs/demo.md): how many
/// flows, which journeys they follow with what drop-off, how property values are distributed, and which share of
/// events is invalid, carries personal data or comes after an opt-out.
/// </summary>
public sealed record TrafficProfile
{
    /// <summary>The plan this profile is for (its <c>plan:</c> name).</summary>
    public required string Plan { get; init; }
    /// <summary>Flows (sessions, tickets, counter flushes) per run unless the caller asks for another number.</summary>
    public int Sessions { get; init; } = 2000;
    /// <summary>Flows start within this long before the run's base time.</summary>
    public TimeSpan Spread { get; init; } = TimeSpan.FromHours(6);
    /// <summary>Default time between two steps.</summary>
    public GapRange Gap { get; init; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));
    /// <summary>Written where the plan's envelope reads the environment; null means the plan's default.</summary>
    public string? Environment { get; init; }
    /// <summary>Written where the envelope reads the source, when it lies outside the properties.</summary>
    public string? Source { get; init; }
    public ActorSettings Actors { get; init; } = new();
    /// <summary>Defaults for every event that declares the property; a step's own spec wins.</summary>
    public IReadOnlyList<PropertySpec> Properties { get; init; } = [];
    public IReadOnlyList<TrafficFlow> Flows { get; init; } = [];
    public OptOutSettings? OptOut { get; init; }
    public FaultMix? Invalid { get; init; }
    public FaultMix? Pii { get; init; }
    public string SourceFile { get; init; } = "";
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
