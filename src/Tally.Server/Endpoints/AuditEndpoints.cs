using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tally.Core.Governance;
using Tally.Core.Pipeline;
using Tally.Core.Storage;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

/// <summary><c>GET /v1/audit?from=&amp;to=&amp;action=&amp;limit=</c>: the audit log, newest first, admin keys only.</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit", async (HttpContext http, Auth auth, string? from, string? to, string? action, string? limit) =>
        {
            if (Access.Require(http.Request, auth, Role.Admin, "the audit log", out var key) is { } denied) return denied;
            if (http.RequestServices.GetService<IAuditLog>() is not { } log)
                return Results.Json(new ErrorBody("audit_unavailable", "this server's store keeps no audit log"), TallyServerJson.Default.ErrorBody, statusCode: 501);

            if (!TryInstant(from, out var f)) return Bad($"'from' is not an ISO 8601 instant: '{from}'");
            if (!TryInstant(to, out var t)) return Bad($"'to' is not an ISO 8601 instant: '{to}'");
            if (f is not null && t is not null && f >= t) return Bad("'from' must be before 'to'");
            var n = DefaultLimit;
            if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out n) || n < 1 || n > MaxLimit))
                return Bad($"'limit' must be a whole number from 1 to {MaxLimit}");

            var entries = await log.ReadAuditAsync(new AuditQuery(f, t, string.IsNullOrEmpty(action) ? null : action, n), http.RequestAborted).ConfigureAwait(false);
            return Results.Json(new AuditListing(entries.Count, entries), GovernanceJson.Default.AuditListing);
        });
    }

    private static bool TryInstant(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var t = text.Trim();
        // The '+' of an offset that was not escaped in a query string arrives as a space.
        if (t.Length > 19) t = t[..19] + t[19..].Replace(' ', '+');
        if (!IsoTimestamp.TryParse(t, out var parsed)) return false;
        value = parsed;
        return true;
    }

    private static IResult Bad(string message) =>
        Results.Json(new ErrorBody("bad_query", message), TallyServerJson.Default.ErrorBody, statusCode: 400);
}
