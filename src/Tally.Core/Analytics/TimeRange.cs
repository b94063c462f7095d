namespace Tally.Core.Analytics;

/// <summary>A half-open time range [From, To): an event at exactly <see cref="To"/> is outside.</summary>
public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To)
{
    public long FromMs => From.ToUnixTimeMilliseconds();
    public long ToMs => To.ToUnixTimeMilliseconds();

    public bool Contains(long timestampMs) => timestampMs >= FromMs && timestampMs < ToMs;

    /// <summary>The UTC days [from, to) covers, e.g. <c>TimeRange.Days(2026-01-01, 2026-01-08)</c> for a week.</summary>
    public static TimeRange Days(DateOnly from, DateOnly toExclusive) =>
        new(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            new DateTimeOffset(toExclusive.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
}
