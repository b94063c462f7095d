using System.Text.Json.Serialization;
using Tally.Core.Analytics;

namespace Tally.Server.Query;

/// <summary>
/// A KPI's answer (<c>GET /v1/kpis/{name}</c>, and each entry of <c>GET /v1/kpis</c>, where the range is given once
/// for all and left out here).
/// </summary>
/// <param name="Kind">As the plan writes it: <c>ratio</c>, <c>rate_by</c>, <c>count_per_day</c>, …</param>
/// <param name="Value">The KPI over the whole range; null where undefined (nothing to divide by, no values).</param>
public sealed record KpiResponse(
    string Name,
    string Kind,
    string? Description,
    string Unit,
    double? Value,
    long? Numerator,
    long? Denominator,
    IReadOnlyList<KpiPoint> Series,
    IReadOnlyList<KpiGroup> Groups,
    string? Note,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? From = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? To = null);

/// <summary>Every KPI of the plan over one range (<c>GET /v1/kpis</c>), in the plan's order.</summary>
public sealed record KpiListResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<KpiResponse> Kpis);
