using Tally.Core.Analytics;

namespace Tally.Server.Query;

/// <summary>
/// A funnel's answer, for a plan funnel (<c>GET /v1/funnels/{name}</c>) and an ad-hoc one (<c>POST /v1/query/funnel</c>,
/// where <see cref="Funnel"/> is null). <c>steps[i].event</c> and <c>steps[i].actors</c> are a stable contract.
/// </summary>
/// <param name="Steps">Per step in order: actors who reached it, conversions, median seconds from the previous step.</param>
/// <param name="CompletesAfterRangeEnd">Actors whose furthest step came at or after <see cref="To"/>: for a range ending now, the numbers may still grow.</param>
public sealed record FunnelResponse(
    string? Funnel,
    DateTimeOffset From,
    DateTimeOffset To,
    string Unit,
    string Window,
    string? BreakdownBy,
    IReadOnlyList<FunnelStepResult> Steps,
    IReadOnlyList<FunnelBreakdownRow> Breakdown,
    long CompletesAfterRangeEnd,
    long Excluded);
