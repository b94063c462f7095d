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
            if (Access.Require(http.Request, auth, Role.Admin, "retention (it deletes data)", out var key) is { } denied)
            {
                // Retention audits its own runs (with their counts), so its refusals are audited here too.
                if (key is not null && store is IAuditLog log)
                    await log.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, key.Label, Access.Name(key.Role), RetentionRun.AuditAction, run.Target, "denied", "status=403"), http.RequestAborted);
                return denied;
            }
            var role = Access.Name(key!.Role);

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
