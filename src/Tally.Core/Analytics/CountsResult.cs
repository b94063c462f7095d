namespace Tally.Core.Analytics;

/// <param name="Series">Every bucket the range touches, in order, empty ones as 0.</param>
public sealed record CountsResult(long Total, IReadOnlyList<CountPoint> Series);
