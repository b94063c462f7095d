using System.Text.Json.Serialization;
using Tally.Core.Analytics;

namespace Tally.Server.Query;

/// <summary>A journey's answer (<c>GET /v1/journeys/{name}</c>, and each entry of <c>GET /v1/journeys</c> without the range).</summary>
/// <param name="Started">Actors with a first-step event in the range.</param>
/// <param name="Completed">Actors who reached every required step.</param>
public sealed record JourneyResponse(
    string Name,
    string? Description,
    string Unit,
    string Window,
    long Started,
    long Completed,
    IReadOnlyList<JourneyStepResult> Steps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? From = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? To = null);

/// <summary>Every journey of the plan over one range (<c>GET /v1/journeys</c>), in the plan's order.</summary>
public sealed record JourneyListResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<JourneyResponse> Journeys);
