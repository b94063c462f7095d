using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Analytics;
using Tally.Server.Configuration;
using Tally.Server.Query;

namespace Tally.Server.Endpoints;

/// <summary>
/// The query API, all JSON, all over <c>from</c>/<c>to</c> (ISO 8601, default the last 7 days; see <see cref="QueryRange"/>):
/// <c>GET /v1/funnels/{name}</c>, <c>POST /v1/query/funnel</c>, <c>GET /v1/kpis[/{name}]</c>, <c>GET /v1/attribution/{name}</c>,
/// <c>GET /v1/journeys[/{name}]</c>, <c>GET /v1/counts?event=&amp;granularity=day|hour</c>. Answers are built by
/// <see cref="QueryService"/>, which <c>tally funnel … --json</c> and the other CLI verbs share, so both print the same JSON.
/// </summary>
public static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var q = QueryJson.Default;
        app.MapGet("/v1/funnels/{name}", (HttpContext http, Auth auth, TallyServerOptions o, string name, string? from, string? to) =>
            Run(http, auth, o, viewersAllowed: true, from, to, q.FunnelResponse, (s, range, ct) => s.FunnelAsync(name, range, ct), SmallGroups.Funnel));
        app.MapPost("/v1/query/funnel", AdhocFunnelAsync);
        app.MapGet("/v1/kpis", (HttpContext http, Auth auth, TallyServerOptions o, string? from, string? to) =>
            Run(http, auth, o, viewersAllowed: true, from, to, q.KpiListResponse, (s, range, ct) => s.KpisAsync(range, ct), SmallGroups.Kpis));
        app.MapGet("/v1/kpis/{name}", (HttpContext http, Auth auth, TallyServerOptions o, string name, string? from, string? to) =>
            Run(http, auth, o, viewersAllowed: true, from, to, q.KpiResponse, (s, range, ct) => s.KpiAsync(name, range, ct), SmallGroups.Kpi));
        app.MapGet("/v1/attribution/{name}", (HttpContext http, Auth auth, TallyServerOptions o, string name, string? from, string? to) =>
            Run(http, auth, o, viewersAllowed: true, from, to, q.AttributionResponse, (s, range, ct) => s.AttributionAsync(name, range, ct), SmallGroups.Attribution));
        app.MapGet("/v1/journeys", (HttpContext http, Auth auth, TallyServerOptions o, string? from, string? to) =>
            Run(http, auth, o, viewersAllowed: true, from, to, q.JourneyListResponse, (s, range, ct) => s.JourneysAsync(range, ct)));
        app.MapGet("/v1/journeys/{name}", (HttpContext http, Auth auth, TallyServerOptions o, string name, string? from, string? to) =>
            Run(http, auth, o, viewersAllowed: true, from, to, q.JourneyResponse, (s, range, ct) => s.JourneyAsync(name, range, ct)));
        app.MapGet("/v1/counts", (HttpContext http, Auth auth, TallyServerOptions o, string? @event, string? granularity, string? from, string? to) =>
            Run(http, auth, o, viewersAllowed: true, from, to, q.CountsResponse, (s, range, ct) => s.CountsAsync(@event, granularity, range, ct)));
    }

    private static async Task<IResult> Run<T>(HttpContext http, Auth auth, TallyServerOptions options, bool viewersAllowed, string? from, string? to,
        JsonTypeInfo<T> json, Func<QueryService, TimeRange, CancellationToken, Task<QueryAnswer<T>>> query,
        Func<T, int, (T Answer, int Suppressed)>? suppress = null) where T : class
    {
        if (QueryAccess.Check(http.Request, auth, viewersAllowed, out var key) is { } denied) return denied;
        if (Service(options) is not { } unscoped) return Unavailable();
        var (service, scopeError) = Scope(unscoped, options, http);
        if (scopeError is not null) return Error(scopeError);
        var (range, error) = QueryRange.Parse(from, to, DateTimeOffset.UtcNow);
        if (error is not null) return Error(error);
        var answer = await query(service, range!, http.RequestAborted).ConfigureAwait(false);
        // Viewers get aggregated figures only: groups under the threshold are left out, and the header says how many.
        if (key!.Role == Role.Viewer && answer.Value is { } value)
        {
            var (kept, suppressed) = suppress is null ? (value, 0) : suppress(value, Math.Max(1, options.MinGroupSize));
            http.Response.Headers[SmallGroups.Header] = suppressed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            answer = answer with { Value = kept };
        }
        return Respond(answer, json);
    }

    private static async Task<IResult> AdhocFunnelAsync(HttpContext http, Auth auth, TallyServerOptions options, string? from, string? to)
    {
        if (QueryAccess.Check(http.Request, auth, viewersAllowed: false) is { } denied) return denied;
        if (Service(options) is not { } unscoped) return Unavailable();
        var (service, scopeError) = Scope(unscoped, options, http);
        if (scopeError is not null) return Error(scopeError);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Error(QueryError.BadRequest("malformed_json", "the body is not JSON; expected {\"steps\": [{\"event\": NAME}, …], \"window\": \"30m\", …}"));
        }
        using (doc)
        {
            var (query, error) = AdhocFunnel.Parse(doc.RootElement, service.Plan, from, to, DateTimeOffset.UtcNow);
            if (error is not null) return Error(error);
            return Respond(await service.FunnelAsync(null, query!, http.RequestAborted).ConfigureAwait(false), QueryJson.Default.FunnelResponse);
        }
    }

    /// <summary>
    /// <c>?environment=staging</c>: the same question over another environment of the plan (production, or the plan's
    /// default, otherwise). An environment the plan does not list is a 400 naming the ones it does.
    /// </summary>
    private static (QueryService Service, QueryError? Error) Scope(QueryService service, TallyServerOptions options, HttpContext http)
    {
        var environment = http.Request.Query["environment"].ToString();
        if (environment.Length == 0) return (service, null);
        if (!options.Plan.Environments.Contains(environment))
            return (service, QueryError.BadRequest("unknown_environment", $"environment '{environment}' is not one of {string.Join(", ", options.Plan.Environments)}"));
        if (options.AnalyticsStore is not Tally.Core.Storage.IEnvironmentAnalytics scoped)
            return (service, QueryError.BadRequest("environment_not_supported", "this store answers for production only"));
        return (new QueryService(options.Plan, scoped.Analytics(environment)), null);
    }

    private static QueryService? Service(TallyServerOptions options) =>
        options.AnalyticsStore is { } store ? new QueryService(options.Plan, store) : null;

    private static IResult Respond<T>(QueryAnswer<T> answer, JsonTypeInfo<T> json) where T : class =>
        answer.Error is { } e ? Error(e) : Results.Json(answer.Value, json);

    private static IResult Error(QueryError e) =>
        Results.Json(new ErrorBody(e.Code, e.Message), TallyServerJson.Default.ErrorBody, statusCode: e.Status);

    private static IResult Unavailable() =>
        Results.Json(new ErrorBody("analytics_unavailable", "this server's store does not answer analytics queries"), TallyServerJson.Default.ErrorBody, statusCode: 501);
}
