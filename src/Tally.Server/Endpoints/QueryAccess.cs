using Microsoft.AspNetCore.Http;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

/// <summary>
/// Who may read analytics. Analyst and admin keys read everything. Viewer keys read the aggregated figures the plan
/// defines (counts, KPIs, plan funnels), not ad-hoc funnels, journeys or attribution, which an analyst asks for.
/// Writer keys only send events. The key is read from <c>Authorization: Bearer KEY</c> (or any way the collector accepts).
/// </summary>
public static class QueryAccess
{
    /// <summary>Null when the caller may go on; else the 401 or 403 to answer.</summary>
    public static IResult? Check(HttpRequest request, Auth auth, bool viewersAllowed)
    {
        var key = auth.Resolve(request);
        if (key is null)
            return Auth.Unauthorized(Auth.Presented(request) is null ? "an analyst key is required (Authorization: Bearer KEY)" : "unknown key");
        return key.Role switch
        {
            Role.Analyst or Role.Admin => null,
            Role.Viewer when viewersAllowed => null,
            Role.Viewer => Auth.Forbidden("viewer keys read counts, KPIs and plan funnels; this query needs an analyst key"),
            _ => Auth.Forbidden($"a {key.Role.ToString().ToLowerInvariant()} key cannot read analytics: analyst or admin keys only"),
        };
    }
}
