using Microsoft.AspNetCore.Http;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

/// <summary>
/// Who may read analytics. Analyst and admin keys read everything. Viewer keys read aggregated figures (counts, KPIs,
/// plan funnels, journeys' step totals, attribution), with small groups left out (<see cref="Query.SmallGroups"/>), but
/// not ad-hoc funnels, whose free filters and breakdowns could single out a person. Writer keys only send events.
/// The key is read from <c>Authorization: Bearer KEY</c> (or any way the collector accepts).
/// </summary>
public static class QueryAccess
{
    /// <summary>Null when the caller may go on; else the 401 or 403 to answer.</summary>
    public static IResult? Check(HttpRequest request, Auth auth, bool viewersAllowed) => Check(request, auth, viewersAllowed, out _);

    public static IResult? Check(HttpRequest request, Auth auth, bool viewersAllowed, out ApiKey? key) =>
        Access.Require(request, auth, viewersAllowed ? Role.Viewer : Role.Analyst,
            viewersAllowed ? "analytics" : "an ad-hoc query (free filters and breakdowns)", out key);
}
