using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>One step of a flow: a plan event, whether and when it happens, and how its properties are drawn.</summary>
public sealed record TrafficStep
{
    public required string Event { get; init; }
    /// <summary>Chance a flow that got this far goes on to this step; otherwise the flow ends here (drop-off).</summary>
    public double Continue { get; init; } = 1;
    /// <summary>For an optional step, the chance it happens; the flow goes on either way.</summary>
    public double? Optional { get; init; }
    /// <summary>Time since the previous event; null means the profile's default gap.</summary>
    public GapRange? Gap { get; init; }
    /// <summary>How many times the event is sent in a row (a carousel shown twice, nodes of one execution).</summary>
    public IntRange Repeat { get; init; } = IntRange.One;
    /// <summary>For pre-counted payloads: how many occurrences one payload stands for.</summary>
    public IntRange? Count { get; init; }
    /// <summary>The person logs in here: from this step on the user id is sent; a person who is never identified stops before it.</summary>
    public bool Login { get; init; }
    public IReadOnlyList<PropertySpec> Properties { get; init; } = [];
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
