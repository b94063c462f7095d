using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Analytics;

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
