using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// <see cref="IAnalyticsStore"/> over one environment's events, every operation one SQL query (two or three for grouped
/// ratios) that ClickHouse answers with aggregated rows; no raw event leaves the server. The answers are those of the
/// engines in <c>Tally.Core.Analytics</c> (docs/analytics.md); docs/clickhouse-store.md says how each is computed and
/// where the SQL cannot follow the engine exactly.
/// </summary>
internal sealed partial class ClickHouseAnalytics(ClickHouseHttp http, string environment, Action ensureReady) : IAnalyticsStore
{
    public string Environment => environment;

    private EventSource Source(Tally.Core.Plans.CountingUnit unit) => new(environment, unit);

    /// <summary>Runs a query over <paramref name="source"/>, sending the identity map along when its unit needs one.</summary>
    private async Task<List<string[]>> QueryAsync(EventSource source, string sql, int columns, CancellationToken ct, params ExternalTable[] more)
    {
        ensureReady();
        var tables = new List<ExternalTable>(more);
        if (source.NeedsIdentities)
        {
            tables.Add(IdentityMap.Table(await LinksAsync(ct).ConfigureAwait(false)));
        }

        return await http.QueryAsync(source.Render(sql), columns, ct, [.. tables]).ConfigureAwait(false);
    }

    /// <summary>Every distinct link; kinds and times do not matter to who is who.</summary>
    private async Task<List<IdentityLink>> LinksAsync(CancellationToken ct)
    {
        var rows = await http.QueryAsync("SELECT DISTINCT from_id, to_user_id FROM identity_links", 2, ct).ConfigureAwait(false);
        return rows.Select(r => new IdentityLink(r[0], r[1], IdentityLink.Identify, DateTimeOffset.UnixEpoch)).ToList();
    }

    private static string Text(string value) => SqlLiteral.String(value);
}
