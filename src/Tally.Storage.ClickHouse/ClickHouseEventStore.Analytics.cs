using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Analytics;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// Analytics (<see cref="IAnalyticsStore"/>) computed inside ClickHouse: each operation is SQL over the <c>events</c>
/// table that returns aggregated rows only (see <c>Analytics/</c> and docs/clickhouse-store.md). Production events by
/// default; <see cref="Analytics(string)"/> answers for another environment. Aggregate-only events have no raw row, so
/// they are not in these answers (their daily counts are in <see cref="ReadRollupsAsync"/>).
/// </summary>
public sealed partial class ClickHouseEventStore : IAnalyticsStore, IEnvironmentAnalytics
{
    /// <summary>The environment analytics answer for unless asked otherwise.</summary>
    public const string DefaultEnvironment = "production";

    private ClickHouseAnalytics? _production;

    private ClickHouseAnalytics Production => _production ??= new ClickHouseAnalytics(_http, DefaultEnvironment, EnsureReady);

    /// <summary>The same analytics over the events of <paramref name="environment"/> only (<c>staging</c>, …).</summary>
    public IAnalyticsStore Analytics(string environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(environment);
        return environment == DefaultEnvironment ? Production : new ClickHouseAnalytics(_http, environment, EnsureReady);
    }

    public Task<FunnelResult> FunnelAsync(FunnelQuery query, CancellationToken ct = default) => Production.FunnelAsync(query, ct);

    public Task<CountsResult> CountsAsync(CountsQuery query, CancellationToken ct = default) => Production.CountsAsync(query, ct);

    public Task<KpiResult> KpiAsync(KpiDefinition kpi, TimeRange range, CancellationToken ct = default) => Production.KpiAsync(kpi, range, ct);

    public Task<AttributionResult> AttributionAsync(AttributionDefinition attribution, TimeRange range, CancellationToken ct = default) =>
        Production.AttributionAsync(attribution, range, ct);

    public Task<JourneyResult> JourneyAsync(JourneyDefinition journey, TimeRange range, CancellationToken ct = default) =>
        Production.JourneyAsync(journey, range, ct);
}
