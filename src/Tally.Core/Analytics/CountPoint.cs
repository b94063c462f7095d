namespace Tally.Core.Analytics;

/// <param name="T">The bucket: <c>2026-01-01</c> for a day, <c>2026-01-01T13:00</c> for an hour (UTC).</param>
public sealed record CountPoint(string T, long Count);
