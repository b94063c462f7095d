using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.Core.Pipeline;
using Tally.Core.Privacy;
using Tally.Core.Storage;
using Tally.Server.Configuration;
using Tally.Server.Endpoints;
using Tally.Server.Governance;
using Tally.Server.Ingestion;
using Tally.Server.Observability;
using Tally.Server.Writing;

namespace Tally.Server;

/// <summary>Wires the server: services, endpoints, CORS, error handling. No logic of its own.</summary>
public static class TallyServer
{
    public static async Task<WebApplication> BuildAsync(TallyServerOptions options, Action<ILoggingBuilder>? logging = null)
    {
        await options.Store.InitializeAsync().ConfigureAwait(false);
        var optOuts = new OptOutRegistry();
        foreach (var actor in await options.Store.ReadOptedOutAsync().ConfigureAwait(false)) optOuts.Set(actor, true);
        var suppressed = new SuppressionList(new PropertyHasher(options.HashSalt));
        // Read now, then every SuppressionRefreshInterval: `tally forget` and other collectors add to the same list.
        PeriodicRefresh? suppressionRefresh = null;
        if (options.Store is ISubjectStore subjects)
        {
            async Task ReadSuppressedAsync(CancellationToken ct)
            {
                foreach (var hash in await subjects.ReadSuppressedAsync(ct).ConfigureAwait(false)) suppressed.AddHash(hash);
            }
            await ReadSuppressedAsync(CancellationToken.None).ConfigureAwait(false);
            suppressionRefresh = new PeriodicRefresh(ReadSuppressedAsync, options.SuppressionRefreshInterval);
        }

        // The content root is the install directory, not the working directory: the host watches its content root for
        // appsettings changes, recursively, and `tally serve` keeps its data under the working directory by default, so
        // every write to the SQLite log woke the watcher (~10% of a core at 100k events/s). Tally reads no appsettings.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Math.Max(options.MaxBodyBytes * 4L, 4 * 1024 * 1024));
        builder.Logging.ClearProviders();
        if (logging is not null) logging(builder.Logging);
        else builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);

        var metrics = new TallyMetrics();
        // The writers see the store through the suppression list, so rows of a deleted subject that were already past
        // the pipeline (spooled, or waiting for a commit) are dropped on their way in.
        var guarded = new SuppressingEventStore(options.Store, suppressed, n => metrics.Dropped(DropReasons.Suppressed, n));
        IBatchSink writer;
        SpoolWriter? spooled = null;
        var shipFailures = new long[1];
        if (options.Ack == AckMode.Spool)
        {
            var spool = new SpoolWriter(options.SpoolDirectory ?? throw new ArgumentException("spool acknowledgement needs a spool directory"), guarded)
            {
                OnShipped = (result, _) => { foreach (var o in result.Events) if (o == Tally.Core.Storage.WriteOutcome.Duplicate) metrics.Dropped(DropReasons.Duplicate); },
                OnShipFailure = _ => Interlocked.Increment(ref shipFailures[0]),
            };
            metrics.Gauges["analytics_spool_ship_failures"] = () => Interlocked.Read(ref shipFailures[0]);
            metrics.Gauges["analytics_spool_depth"] = () => spool.Depth;
            writer = spooled = spool;
        }
        else
        {
            writer = new GroupCommitWriter(guarded);
        }
        metrics.Gauges["analytics_data_freshness_seconds"] = () => writer.FreshnessSeconds;
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Store);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(writer);
        // Keys made by `tally keys` live in the store: read once now, then every KeyRefreshInterval (see StoredKeyCache).
        StoredKeyCache? storedKeys = null;
        if (options.Store is IKeyStore keyStore)
        {
            storedKeys = new StoredKeyCache(keyStore, options.KeyRefreshInterval);
            await storedKeys.RefreshAsync().ConfigureAwait(false);
        }
        builder.Services.AddSingleton(new Auth(options.Keys, storedKeys));
        builder.Services.AddSingleton(new EventPipeline(options.Plan, options.Pipeline, optOuts, suppressed));
        builder.Services.AddSingleton(suppressed);
        if (options.Store is IAuditLog audit) builder.Services.AddSingleton(audit);
        if (options.Store is ISubjectStore subjectStore)
            builder.Services.AddSingleton(new SubjectDeletion(subjectStore, suppressed, options.ExportRoots, guarded.BarrierAsync,
                spooled is null ? null : ct => spooled.RetireSegmentsAsync(TimeSpan.FromSeconds(30), ct)));
        builder.Services.AddSingleton<IngestService>();
        Governance.GovernanceJobs.Register(builder.Services, options);
        builder.Services.AddCors(c => c.AddDefaultPolicy(p =>
        {
            if (options.CorsOrigins.Contains("*")) p.AllowAnyOrigin(); else p.WithOrigins([.. options.CorsOrigins]);
            p.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("x-request-id");
        }));

        var app = builder.Build();
        app.UseExceptionHandler(e => e.Run(async http =>
        {
            // Whatever failed, the client gets a JSON sentence, not a stack trace.
            var feature = http.Features.Get<IExceptionHandlerFeature>();
            (int status, string code, string message) = feature?.Error switch
            {
                BadHttpRequestException b => (b.StatusCode, "bad_request", "the request could not be read"),
                JsonException => (400, "malformed_json", "malformed JSON"),
                _ => (500, "internal_error", "an internal error occurred; the request id identifies it in the server log"),
            };
            http.Response.StatusCode = status;
            await http.Response.WriteAsJsonAsync(new ErrorBody(code, message), TallyServerJson.Default.ErrorBody);
        }));
        app.UseCors();
        CollectorEndpoints.Map(app);
        // Routes that read per-actor data or change anything are audited (AuditFilter.Actions); the collector's are not.
        var audited = app.MapGroup("").AddEndpointFilter(new AuditFilter());
        QuarantineEndpoints.Map(audited);
        QueryEndpoints.Map(audited);
        SubjectEndpoints.Map(audited);
        AuditEndpoints.Map(audited);
        KeyEndpoints.Map(audited);
        // Retention audits each run itself, with its counts (RetentionRun), so it is not in the audited group.
        RetentionEndpoints.Map(app);
        app.MapGet("/healthz", () => Results.Json(new HealthBody("ok", options.Plan.Name, options.Plan.Version), TallyServerJson.Default.HealthBody));
        app.MapGet("/metrics", (TallyMetrics m) => Results.Text(m.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        if (storedKeys is not null) RunWhileServing(app, storedKeys.Start, storedKeys);
        if (suppressionRefresh is not null) RunWhileServing(app, suppressionRefresh.Start, suppressionRefresh);
        app.Lifetime.ApplicationStopped.Register(() => writer.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    /// <summary>A background refresh that starts with the server and stops when it begins to stop.</summary>
    private static void RunWhileServing(WebApplication app, Action start, IAsyncDisposable refresh)
    {
        app.Lifetime.ApplicationStarted.Register(start);
        app.Lifetime.ApplicationStopping.Register(() => refresh.DisposeAsync().AsTask().GetAwaiter().GetResult());
    }
}
