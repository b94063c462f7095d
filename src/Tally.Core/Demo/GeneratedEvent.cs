namespace Tally.Core.Demo;

/// <summary>What the generator meant an event to be, so a test (or the demo's summary) can hold the collector to it.</summary>
public enum EventIntent
{
    /// <summary>Passes the plan and is stored.</summary>
    Valid,
    /// <summary>Spoiled on purpose (<see cref="GeneratedEvent.Fault"/>): quarantined.</summary>
    Invalid,
    /// <summary>Sent after its actor opted out: dropped.</summary>
    AfterOptOut,
}

/// <summary>One payload, shaped by the plan's envelope, and what the generator did to it.</summary>
/// <param name="Json">The event as a client sends it (one element of a Segment batch, or one flat event).</param>
/// <param name="Fault">For invalid events, the violation code the spoiling causes (<see cref="InvalidKinds"/>).</param>
/// <param name="Pii">The kind of personal data planted in it (<see cref="PiiKinds"/>), if any.</param>
/// <param name="Flow">The number of the flow it belongs to.</param>
public sealed record GeneratedEvent(string Json, string Name, DateTimeOffset Timestamp, EventIntent Intent, string? Fault, string? Pii, int Flow, bool OptOut = false);
