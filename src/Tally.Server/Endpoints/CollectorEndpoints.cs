using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Pipeline;
using Tally.Server.Configuration;
using Tally.Server.Ingestion;
using Microsoft.Extensions.Logging;
using Tally.Server.Observability;

namespace Tally.Server.Endpoints;

/// <summary>The Segment HTTP Tracking API and the plan-envelope endpoint <c>/v1/events</c>.</summary>
public static class CollectorEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var type in new[] { "track", "identify", "page", "screen", "group", "alias" })
            app.MapPost($"/v1/{type}", (HttpContext http, IngestService ingest, Auth auth, TallyServerOptions options, TallyMetrics metrics) =>
                HandleAsync(http, ingest, auth, options, metrics, "single", type));
        app.MapPost("/v1/batch", (HttpContext http, IngestService ingest, Auth auth, TallyServerOptions options, TallyMetrics metrics) =>
            HandleAsync(http, ingest, auth, options, metrics, "batch", null));
        app.MapPost("/v1/b", (HttpContext http, IngestService ingest, Auth auth, TallyServerOptions options, TallyMetrics metrics) =>
            HandleAsync(http, ingest, auth, options, metrics, "batch", null));
        app.MapPost("/v1/events", (HttpContext http, IngestService ingest, Auth auth, TallyServerOptions options, TallyMetrics metrics) =>
            HandleAsync(http, ingest, auth, options, metrics, "flat", null));
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IngestService ingest, Auth auth, TallyServerOptions options, TallyMetrics metrics, string mode, string? segmentType)
    {
        var started = Stopwatch.GetTimestamp();
        var route = http.Request.Path.Value ?? "";
        var result = await HandleCoreAsync(http, ingest, auth, options, mode, segmentType).ConfigureAwait(false);
        var status = result is IStatusCodeHttpResult { StatusCode: { } s } ? s : 200;
        metrics.Request(route, status, Stopwatch.GetElapsedTime(started));
        return result;
    }

    private static async Task<IResult> HandleCoreAsync(HttpContext http, IngestService ingest, Auth auth, TallyServerOptions options, string mode, string? segmentType)
    {
        var requestId = RequestId.Of(http);
        var presented = Auth.Presented(http.Request);
        if (presented is not null && auth.Resolve(http.Request) is null)
            return auth.Refuse(http.Request, "");
        var (body, error) = await BodyReader.ReadAsync(http.Request, options.MaxBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (error is not null) return Error(error);
        // The parsed events refer to the body's pooled bytes until the request is answered.
        using var bytes = body!;
        var (split, splitError) = PayloadSplitter.Read(bytes.Bytes, mode, segmentType);
        if (splitError is not null) return Error(splitError);
        using (split)
        {
            var key = auth.Resolve(http.Request, split!.WriteKey);
            if (key is null)
                return auth.Refuse(http.Request, "a write key is required (HTTP Basic user name, X-Write-Key header or writeKey field)", split.WriteKey);
            if (key.Role is not (Role.Writer or Role.Admin))
                return Auth.Forbidden($"a {key.Role.ToString().ToLowerInvariant()} key cannot send events");
            var ctx = new IngestContext(DateTimeOffset.UtcNow, $"{(mode == "flat" ? "flat" : "segment")}:{http.Request.Path}", requestId, key.Environment);
            try
            {
                var result = await ingest.IngestAsync(split, ctx, http.RequestAborted).ConfigureAwait(false);
                return Results.Json(result, TallyServerJson.Default.IngestResult);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store failed: nothing was acknowledged, so the client must retry. 503 is retried by Segment SDKs.
                http.RequestServices.GetLogger("Tally.Collector").LogStoreFailure(e.GetType().Name);
                return Results.Json(new ErrorBody("store_unavailable", "the events could not be stored; retry later"), TallyServerJson.Default.ErrorBody, statusCode: 503);
            }
        }
    }

    public static IResult Error(IngestError e) => Results.Json(new ErrorBody(e.Code, e.Message), TallyServerJson.Default.ErrorBody, statusCode: e.Status);
}
