using Tally.Core.Analytics;

namespace Tally.Server.Query;

/// <summary>
/// Occurrences per UTC day or hour (<c>GET /v1/counts</c>): <c>{"total": N, "series": [{"t": "2026-01-01", "count": N}, …]}</c>,
/// every bucket of the range listed, empty ones as 0.
/// </summary>
/// <param name="Event">The event counted; null for every event.</param>
/// <param name="Granularity"><c>day</c> or <c>hour</c>.</param>
public sealed record CountsResponse(
    string? Event,
    string Granularity,
    DateTimeOffset From,
    DateTimeOffset To,
    long Total,
    IReadOnlyList<CountPoint> Series);
