namespace Tally.Core.Analytics;

/// <param name="Event">The step as the plan writes it.</param>
/// <param name="Reached">Actors who reached the step (see docs/analytics.md for optional steps).</param>
public sealed record JourneyStepResult(string Event, bool Optional, long Reached);
