using Tally.Core.Events;

namespace Tally.Core.Pipeline;

/// <summary>What the pipeline decided for one event. Exactly one per incoming event: nothing disappears silently.</summary>
public abstract record PipelineOutcome
{
    /// <summary>
    /// The opt-out state this event set for its actors, whatever became of the event itself: an opt-out flag on an
    /// event that is then dropped (or quarantined) still opts its actor out, so the collector persists it from any outcome.
    /// </summary>
    public OptOutChange? OptOutChange { get; init; }

    public sealed record Accepted(CollectedEvent Event, IReadOnlyList<IdentityLink> Links, IReadOnlyList<string> DroppedFields) : PipelineOutcome
    {
        /// <summary>True when this event opted its actor out, false when it opted them back in; the collector persists it.</summary>
        public bool? OptOut { get; init; }
    }

    public sealed record Quarantined(QuarantinedEvent Event) : PipelineOutcome;

    /// <summary>Dropped on purpose and counted: <see cref="DropReasons"/>.</summary>
    public sealed record Dropped(string Reason, string? EventName) : PipelineOutcome;
}

/// <summary>An actor's opt-out (true) or opt-in (false), for each of the event's ids (user and anonymous).</summary>
public sealed record OptOutChange(bool OptedOut, IReadOnlyList<string> Actors);

public static class DropReasons
{
    public const string OptOut = "opt_out";
    public const string Sampling = "sampling";
    public const string Duplicate = "duplicate";
    public const string Suppressed = "suppressed";
}
