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
}

public enum AckMode
{
    Store,
    Spool,
}
