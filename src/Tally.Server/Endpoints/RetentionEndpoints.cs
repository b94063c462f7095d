using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Governance;
using Tally.Core.Storage;
using Tally.Server.Configuration;
using Tally.Server.Governance;

namespace Tally.Server.Endpoints;

/// <summary>
/// <c>POST /v1/retention/apply?dryRun=true|false</c>: runs retention now and answers its report (admin keys only).
/// Without <c>dryRun</c> the run is real, as <c>tally retention apply</c> is.
/// </summary>
public static class RetentionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/retention/apply", async (HttpContext http, Auth auth, RetentionRun run, IEventStore store, bool? dryRun) =>
        {
            var key = auth.Resolve(http.Request);
            if (key is null) return Auth.Unauthorized("an admin key is required (Authorization: Bearer KEY)");
            var role = key.Role.ToString().ToLowerInvariant();
            if (key.Role != Role.Admin)
            {
                if (store is IAuditLog log)
                    await log.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, key.Label, role, RetentionRun.AuditAction, run.Target, "denied", "status=403"), http.RequestAborted);
                return Auth.Forbidden("retention deletes data: admin keys only");
            }

            try
            {
                var report = await run.RunAsync(DateTimeOffset.UtcNow, dryRun ?? false, actor: key.Label, role: role, http.RequestAborted);
                return Results.Json(report, TallyServerJson.Default.RetentionReport);
            }
            catch (NotSupportedException ex)
            {
                return Results.Json(new ErrorBody("not_supported", ex.Message), TallyServerJson.Default.ErrorBody, statusCode: 501);
            }
            catch (InvalidOperationException ex)
            {
                return Results.Json(new ErrorBody("retention_not_configured", ex.Message), TallyServerJson.Default.ErrorBody, statusCode: 409);
            }
        });
    }
}
