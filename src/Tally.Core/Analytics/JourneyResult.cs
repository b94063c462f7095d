namespace Tally.Core.Analytics;

/// <param name="Started">Actors with a step-1 event in the range.</param>
/// <param name="Completed">Actors who reached every required step.</param>
public sealed record JourneyResult(string Name, long Started, long Completed, IReadOnlyList<JourneyStepResult> Steps);
