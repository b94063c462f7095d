using Tally.Core.Analytics;

namespace Tally.Server.Query;

/// <summary>Last-touch attribution of a plan's rule (<c>GET /v1/attribution/{name}</c>).</summary>
/// <param name="Touch">The touch filter as the plan writes it.</param>
/// <param name="Credits">Conversions per credited value, most first.</param>
/// <param name="ByConversionEvent">The same per conversion filter, in the plan's order.</param>
public sealed record AttributionResponse(
    string Name,
    string? Description,
    DateTimeOffset From,
    DateTimeOffset To,
    string Touch,
    string CreditProperty,
    string Window,
    string Scope,
    long Conversions,
    long Attributed,
    long Unattributed,
    IReadOnlyList<AttributionCredit> Credits,
    IReadOnlyList<AttributionByConversion> ByConversionEvent);
