using Tally.Core.Pipeline;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Server.Configuration;

/// <summary>Everything the server needs, passed in explicitly (not read from process-wide state) so tests can run servers side by side.</summary>
public sealed record TallyServerOptions
{
    public required TrackingPlan Plan { get; init; }
    public required IEventStore Store { get; init; }
    /// <summary>
    /// Answers the query API (<c>/v1/funnels</c>, <c>/v1/kpis</c>, …); by default <see cref="Store"/> when it implements
    /// <see cref="IAnalyticsStore"/>. Without one, query endpoints answer 501.
    /// </summary>
    public IAnalyticsStore? Analytics { get; init; }
    public IAnalyticsStore? AnalyticsStore => Analytics ?? Store as IAnalyticsStore;
    public required byte[] HashSalt { get; init; }
    public IReadOnlyList<ApiKey> Keys { get; init; } = [];
    /// <summary>
    /// How often keys stored by <c>tally keys</c> are re-read from the store: a key created or revoked by another process
    /// (the CLI, another collector) takes effect within this delay. Changes made through this server's own
    /// <c>/v1/keys</c> take effect at once.
    /// </summary>
    public TimeSpan KeyRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the suppression list is reread from the store (subjects deleted by <c>tally forget</c> or another collector).</summary>
    public TimeSpan SuppressionRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Viewer answers leave out groups of fewer than this many actors (funnel breakdown rows), events or actors (KPI
    /// groups) or conversions (attribution credits), so a viewer cannot single out a small group. 1 turns it off.
    /// </summary>
    public int MinGroupSize { get; init; } = 5;
    public string Urls { get; init; } = "http://127.0.0.1:8080";
    /// <summary>Request body limit after decompression (Segment's own limit is 500 KB per batch).</summary>
    public int MaxBodyBytes { get; init; } = 500 * 1024;
    public PipelineOptions Pipeline => new() { HashSalt = HashSalt, MaxFutureSkew = MaxFutureSkew, MaxPastAge = MaxPastAge };
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan MaxPastAge { get; init; } = TimeSpan.FromDays(365);
    /// <summary>
    /// Where a 2xx is given: after the store commit (the default for the embedded store), or after the fsync of the
    /// local spool under <see cref="SpoolDirectory"/> (the default for ClickHouse: the collector stays up when the store is not).
    /// </summary>
    public AckMode Ack { get; init; } = AckMode.Store;
    public string? SpoolDirectory { get; init; }
    /// <summary>
    /// Export and archive roots (<c>events/env=/dt=/hr=/part-NNNN.json.gz</c> under each): a GDPR deletion rewrites the
    /// parts under them that hold the subject's rows.
    /// </summary>
    public IReadOnlyList<string> ExportRoots { get; init; } = [];
    /// <summary>Origins allowed by CORS; <c>*</c> by default, since browser SDKs run on customers' sites.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = ["*"];
    /// <summary>How often retention runs (archive, then delete past the plan's periods); null turns the job off.</summary>
    public TimeSpan? RetentionEvery { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How long after start the first retention run waits (at most <see cref="RetentionEvery"/>).</summary>
    public TimeSpan RetentionFirstRunAfter { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Where retention archives events past their archive period; needed when the plan declares one.</summary>
    public string? ArchiveDirectory { get; init; }
    /// <summary>Where the scheduled export writes; null (the default) turns it off.</summary>
    public string? ExportDirectory { get; init; }
    public TimeSpan ExportEvery { get; init; } = TimeSpan.FromHours(1);
    /// <summary>The clock of the scheduled jobs; tests pass a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

public enum AckMode
{
    Store,
    Spool,
}
