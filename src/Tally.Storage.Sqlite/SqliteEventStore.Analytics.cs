using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Analytics;
using Tally.Storage.Sqlite.Projection;

namespace Tally.Storage.Sqlite;

/// <summary>
/// Analytics (<see cref="IAnalyticsStore"/>) over the raw <c>events</c> table: each query reads only the event names
/// its filters mention within the time its rules can reach, through the <c>(name, ts)</c> index, and the Core engines
/// compute the answer. Production events by default; <see cref="Analytics(string)"/> answers for another environment.
/// Aggregate-only events have no raw row: KPIs count them from their roll-up rows and the dimensions kept there
/// (<see cref="RollupEvents"/>); the other analytics leave them out (they have no actors to follow).
/// </summary>
public sealed partial class SqliteEventStore : IAnalyticsStore, IEnvironmentAnalytics
{
    /// <summary>The environment analytics answer for unless asked otherwise.</summary>
    public const string DefaultEnvironment = "production";

    private SqliteAnalytics? _production;

    /// <summary>The columnar copy of <c>events</c> that analytics reads (docs/architecture.md).</summary>
    internal EventProjection Projection { get; } = new();

    /// <summary>
    /// Whether analytics read the in-memory columnar projection (default) or the <c>events</c> table through its
    /// <c>(name, ts)</c> index. Both give the same answers; the table path uses no memory beyond one query.
    /// </summary>
    public bool UseAnalyticsProjection { get; set; } = true;

    /// <summary>Events held by the projection so far.</summary>
    public long ProjectedEvents => Projection.Rows;

    /// <summary>How long the last rebuild of the projection from the table took (zero before the first).</summary>
    public TimeSpan ProjectionRebuildTime => Projection.LastRebuild;

    /// <summary>Bytes held by the projection's column arrays (not its string dictionaries).</summary>
    public long ProjectionArrayBytes() => Projection.ArrayBytes();

    /// <summary>
    /// Builds (or catches up) the projection now, so the first query does not pay for reading the table; a server
    /// may call it after opening the store. Queries do it anyway.
    /// </summary>
    public Task WarmAnalyticsAsync(CancellationToken ct = default) => Task.Run(() =>
    {
        using var connection = OpenRead();
        using var transaction = connection.BeginTransaction(deferred: true);
        Projection.CatchUp(connection, transaction, ct);
    }, ct);

    /// <summary>
    /// Drops the projection so the next query rebuilds it from the table. Whoever deletes rows from <c>events</c>
    /// (subject deletion, retention) must call this after the delete commits: the projection only ever appends.
    /// </summary>
    public void InvalidateAnalyticsProjection() => Projection.Invalidate();

    private SqliteAnalytics Production => _production ??= new SqliteAnalytics(this, DefaultEnvironment);

    /// <summary>The same analytics over the events of <paramref name="environment"/> only (<c>staging</c>, …).</summary>
    public IAnalyticsStore Analytics(string environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(environment);
        return environment == DefaultEnvironment ? Production : new SqliteAnalytics(this, environment);
    }

    public Task<FunnelResult> FunnelAsync(FunnelQuery query, CancellationToken ct = default) => Production.FunnelAsync(query, ct);

    public Task<CountsResult> CountsAsync(CountsQuery query, CancellationToken ct = default) => Production.CountsAsync(query, ct);

    public Task<KpiResult> KpiAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct = default) => Production.KpiAsync(kpi, range, ct);

    public Task<AttributionResult> AttributionAsync(AttributionDefinition attribution, TimeRange range, CancellationToken ct = default) =>
        Production.AttributionAsync(attribution, range, ct);

    public Task<JourneyResult> JourneyAsync(JourneyDefinition journey, TimeRange range, CancellationToken ct = default) =>
        Production.JourneyAsync(journey, range, ct);
}
