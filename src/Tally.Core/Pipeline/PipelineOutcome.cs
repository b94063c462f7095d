using Tally.Core.Events;

namespace Tally.Core.Pipeline;

/// <summary>What the pipeline decided for one event. Exactly one per incoming event: nothing disappears silently.</summary>
public abstract record PipelineOutcome
{
    /// <summary>
    /// True when this event opted its actor out, false when it opted them back in; the collector persists it. Set on
    /// every kind of outcome, since the registry changed whatever became of the event (an opt-out flag on an event
    /// that is then dropped or quarantined is honoured at once, so a restart must not forget it).
    /// </summary>
    public bool? OptOut { get; init; }

    public sealed record Accepted(CollectedEvent Event, IReadOnlyList<IdentityLink> Links, IReadOnlyList<string> DroppedFields) : PipelineOutcome;

    public sealed record Quarantined(QuarantinedEvent Event) : PipelineOutcome;

    /// <summary>Dropped on purpose and counted: <see cref="DropReasons"/>.</summary>
    public sealed record Dropped(string Reason, string? EventName) : PipelineOutcome;
}

public static class DropReasons
{
    public const string OptOut = "opt_out";
    public const string Sampling = "sampling";
    public const string Duplicate = "duplicate";
    public const string Suppressed = "suppressed";
}
