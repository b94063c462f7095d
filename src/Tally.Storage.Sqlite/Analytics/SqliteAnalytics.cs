using Microsoft.Data.Sqlite;
using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Projection;

namespace Tally.Storage.Sqlite.Analytics;

/// <summary>
/// Analytics over the events of one environment of a <see cref="SqliteEventStore"/>: each query reads its slice of
/// events (<see cref="EventSlice"/>) and, when it counts users, the identity links, inside one read transaction (one
/// snapshot), and streams them into the engine of <c>Tally.Core.Analytics</c>, whose answer it returns. The events
/// come from the columnar projection (<see cref="EventProjection"/>) unless it is off or lacks a property the query
/// needs. The engines are the definition; this class only decides what to read.
/// </summary>
internal sealed class SqliteAnalytics(SqliteEventStore store, string environment) : IAnalyticsStore
{
    public string Environment { get; } = environment;

    public Task<FunnelResult> FunnelAsync(FunnelQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync(EventSlice.Funnel(query), query.Unit, (events, identities) => FunnelEngine.Run(events, identities, query), ct,
            (view, identities) => ProjectedFunnel.Run(view, Environment, query, identities, ct));
    }

    public Task<JourneyResult> JourneyAsync(JourneyDefinition journey, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(journey);
        ArgumentNullException.ThrowIfNull(range);
        return RunAsync(EventSlice.Journey(journey, range), journey.Unit, (events, identities) => JourneyEngine.Run(events, identities, journey, range), ct);
    }

    public Task<AttributionResult> AttributionAsync(AttributionDefinition attribution, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        ArgumentNullException.ThrowIfNull(range);
        return RunAsync(EventSlice.Attribution(attribution, range), attribution.Scope, (events, identities) => AttributionEngine.Run(events, identities, attribution, range), ct,
            attribution.Conversions.Count <= ProjectedAttribution.MaxConversions
                ? (view, identities) => ProjectedAttribution.Run(view, Environment, attribution, range, identities, ct)
                : null);
    }

    public Task<KpiResult> KpiAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(range);
        // KPIs count aggregate-only events too, from their roll-up rows (RollupEvents).
        return RunAsync(EventSlice.Kpi(kpi, range), kpi.Unit, (events, identities) => KpiEngine.Run(events, identities, kpi, range), ct,
            ProjectedKpi.Handles(kpi) ? (view, identities) => ProjectedKpi.Run(view, Environment, kpi, range, identities, ct) : null, withRollups: true);
    }

    public Task<CountsResult> CountsAsync(CountsQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var bucketMs = query.Granularity == CountGranularity.Hour ? TimeBuckets.HourMs : TimeBuckets.DayMs;
        var slice = EventSlice.Counts(query);
        return Task.Run(() =>
        {
            using var connection = store.OpenRead();
            using var transaction = connection.BeginTransaction(deferred: true);
            var totals = AnalyticsRows.BucketTotals(connection, transaction, slice, query.Event ?? EventFilter.AnyEvent, bucketMs, Environment, ct);
            return CountsEngine.Run(totals, query);
        }, ct);
    }

    /// <summary>
    /// Reads on a thread of the pool (Microsoft.Data.Sqlite does its I/O synchronously). With the projection on
    /// (the default), it is caught up inside the query's read transaction and answers — through
    /// <paramref name="projected"/> when given (a column form), else by feeding the engine projected events; a query
    /// on a property the projection does not hold, or with the projection off, feeds the engine the rows as they
    /// come from the table. Identity links matter only for the user unit; the other units never resolve a person.
    /// </summary>
    private Task<T> RunAsync<T>(EventSlice slice, CountingUnit unit, Func<IEnumerable<AnalyticsEvent>, IdentityGraph, T> engine, CancellationToken ct,
        Func<ProjectionView, IdentityGraph, T>? projected = null, bool withRollups = false) =>
        Task.Run(() =>
        {
            using var connection = store.OpenRead();
            // Deferred: the snapshot starts with the first read, and links and events come from the same one.
            using var transaction = connection.BeginTransaction(deferred: true);
            var identities = unit == CountingUnit.User ? new IdentityGraph(AnalyticsRows.Links(connection, transaction)) : IdentityGraph.Empty;
            // Roll-up records of aggregate-only events are not in the projection (they have no row in events): when
            // there are any, the engine gets them beside the projected events and the column form is not used.
            var rollups = withRollups ? AnalyticsRows.Rollups(connection, transaction, slice, Environment, ct).ToList() : [];
            if (store.UseAnalyticsProjection)
            {
                var projection = store.Projection;
                projection.CatchUp(connection, transaction, ct);
                try
                {
                    return projection.Read(view => projected is not null && rollups.Count == 0
                        ? projected(view, identities)
                        : engine(ProjectedEvents.Of(view, Environment, slice, ct).Concat(rollups), identities));
                }
                catch (ProjectionMissException)
                {
                    // Answered from the rows below.
                }
            }
            return engine(AnalyticsRows.Events(connection, transaction, slice, Environment, ct).Concat(rollups), identities);
        }, ct);
}
