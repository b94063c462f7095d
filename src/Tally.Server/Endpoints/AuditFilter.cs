using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tally.Core.Governance;
using Tally.Core.Storage;

namespace Tally.Server.Endpoints;

/// <summary>
/// Writes one line to the audit log for each request to a route that reads per-actor data or changes anything: who
/// (the key's label and role), what (the action), to what (the target a handler named, else the request path, which
/// for these routes names plan objects only), when and with what outcome: <c>ok</c>, <c>denied</c> (401 and 403) or
/// <c>error</c> (any other failure). Put on a route group, it audits the routes of <see cref="Actions"/> and passes the
/// others through; put on one route with an action, it audits that route. Ingestion is never audited (volume).
/// A handler names a target or detail through <see cref="TargetItem"/> and <see cref="DetailItem"/> in
/// <see cref="HttpContext.Items"/>. The line is written before the answer is sent: an audit that cannot be written fails
/// the request rather than leaving it unrecorded.
/// </summary>
public sealed class AuditFilter : IEndpointFilter
{
    public const string TargetItem = "tally.audit.target";
    public const string DetailItem = "tally.audit.detail";

    /// <summary>The audited routes by method and route pattern. Keys and retention add theirs here.</summary>
    public static IReadOnlyDictionary<(string Method, string Pattern), string> Actions { get; } = new Dictionary<(string, string), string>
    {
        [("GET", "/v1/quarantine")] = "quarantine.list",
        [("POST", "/v1/quarantine/replay")] = "quarantine.replay",
        [("GET", "/v1/funnels/{name}")] = "query.funnel",
        [("POST", "/v1/query/funnel")] = "query.funnel_adhoc",
        [("GET", "/v1/attribution/{name}")] = "query.attribution",
        [("GET", "/v1/journeys")] = "query.journeys",
        [("GET", "/v1/journeys/{name}")] = "query.journeys",
        [("DELETE", "/v1/subjects")] = "subjects.delete",
        [("GET", "/v1/audit")] = "audit.read",
        // The target is the request path: a key's public id at most, never the key (shown once, in the response only).
        [("POST", "/v1/keys")] = "keys.create",
        [("GET", "/v1/keys")] = "keys.list",
        [("DELETE", "/v1/keys/{id}")] = "keys.revoke",
    };

    private readonly string? _action;

    /// <summary>Audits the routes listed in <see cref="Actions"/>.</summary>
    public AuditFilter()
    {
    }

    /// <summary>Audits the route it is put on as <paramref name="action"/>.</summary>
    public AuditFilter(string action) => _action = action;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var action = _action ?? ActionOf(http);
        if (action is null || http.RequestServices.GetService<IAuditLog>() is not { } log) return await next(context).ConfigureAwait(false);

        object? result;
        try
        {
            result = await next(context).ConfigureAwait(false);
        }
        catch (Exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            await AppendAsync(log, http, action, "error", "exception").ConfigureAwait(false);
            throw;
        }

        var status = result is IStatusCodeHttpResult { StatusCode: { } s } ? s : StatusCodes.Status200OK;
        var outcome = status is 401 or 403 ? "denied" : status >= 400 ? "error" : "ok";
        await AppendAsync(log, http, action, outcome, $"status={status}").ConfigureAwait(false);
        return result;
    }

    private static string? ActionOf(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint || endpoint.RoutePattern.RawText is not { } pattern) return null;
        if (!pattern.StartsWith('/')) pattern = "/" + pattern;
        return Actions.GetValueOrDefault((http.Request.Method, pattern));
    }

    private static Task AppendAsync(IAuditLog log, HttpContext http, string action, string outcome, string fallbackDetail)
    {
        var key = http.RequestServices.GetRequiredService<Auth>().Resolve(http.Request);
        var actor = key?.Label ?? (Auth.Presented(http.Request) is null ? "anonymous" : "unknown-key");
        var role = key?.Role.ToString().ToLowerInvariant() ?? "none";
        var target = http.Items[TargetItem] as string ?? http.Request.Path.Value ?? "";
        var detail = http.Items[DetailItem] as string ?? fallbackDetail;
        // Not the request's token: a client that hangs up after the work was done must not leave it unrecorded.
        return log.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, actor, role, action, target, outcome, detail), CancellationToken.None);
    }
}
