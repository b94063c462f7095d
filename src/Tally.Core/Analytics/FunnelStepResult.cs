namespace Tally.Core.Analytics;

/// <param name="Event">The step's event name.</param>
/// <param name="Filter">The step as the plan writes it, e.g. <c>aurora_intent_detected(intent=track_order)</c>.</param>
/// <param name="Actors">Actors whose funnel level is at least this step.</param>
/// <param name="ConversionFromPrevious">Actors / actors of the previous step; null for step 1 or when the previous step has none.</param>
/// <param name="ConversionFromFirst">Actors / actors of step 1; null when step 1 has none.</param>
/// <param name="MedianSecondsFromPrevious">Median over actors reaching this step of the time from the previous step (chain of record); null for step 1 or no actors.</param>
public sealed record FunnelStepResult(
    string Event,
    string Filter,
    long Actors,
    double? ConversionFromPrevious,
    double? ConversionFromFirst,
    double? MedianSecondsFromPrevious);
