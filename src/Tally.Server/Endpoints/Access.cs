using Microsoft.AspNetCore.Http;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

/// <summary>
/// The role ladder for everything but ingestion: viewer &lt; analyst &lt; admin; a writer key reads nothing. A route
/// names its lowest role; the answer is null (go on) or the 401/403 with a JSON reason.
/// </summary>
public static class Access
{
    /// <param name="what">What the route gives, as a sentence's subject: "analytics", "the quarantine (per-event data)".</param>
    public static IResult? Require(HttpRequest request, Auth auth, Role minimum, string what, out ApiKey? key)
    {
        key = auth.Resolve(request);
        if (key is null)
            return auth.Refuse(request, $"{Article(minimum)} {Name(minimum)} key is required (Authorization: Bearer KEY)");
        if (key.Role == Role.Writer)
            return Auth.Forbidden($"a writer key only sends events; {what} needs {Article(minimum)} {Name(minimum)} key{Above(minimum)}");
        if (key.Role < minimum)
            return Auth.Forbidden($"{what} needs {Article(minimum)} {Name(minimum)} key{Above(minimum)}, not {Article(key.Role)} {Name(key.Role)} key");
        return null;
    }

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    private static string Article(Role role) => role is Role.Admin or Role.Analyst ? "an" : "a";

    private static string Above(Role minimum) => minimum switch
    {
        Role.Viewer => " or above",
        Role.Analyst => " or an admin key",
        _ => "",
    };
}
