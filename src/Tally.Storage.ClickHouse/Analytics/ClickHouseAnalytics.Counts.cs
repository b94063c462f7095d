using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Analytics;

internal sealed partial class ClickHouseAnalytics
{
    /// <summary>Occurrences (the sum of <c>count</c>) per UTC day or hour, grouped by the bucket's start in SQL.</summary>
    public async Task<CountsResult> CountsAsync(CountsQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var period = query.Granularity == CountGranularity.Hour ? "hour" : "day";
        var buckets = TimeBuckets.Covering(query.Range, period);
        var source = Source(CountingUnit.Event).InRange(query.Range.FromMs, query.Range.ToMs);
        if (query.Event is { } name && name != EventFilter.AnyEvent)
        {
            source.Where($"name = {SqlLiteral.String(name)}");
        }

        var rows = await QueryAsync(source, $"SELECT {AnalyticsSql.Floor("t", period)} AS bucket, sum(c) FROM ({EventSource.Rows}) GROUP BY bucket", 2, ct)
            .ConfigureAwait(false);
        var index = AnalyticsSql.Index(buckets);
        var counts = new long[buckets.Count];
        foreach (var r in rows) counts[index[AnalyticsSql.Long(r[0])]] += AnalyticsSql.Long(r[1]);
        var series = buckets.Select((b, i) => new CountPoint(TimeBuckets.Label(b, period), counts[i])).ToList();
        return new CountsResult(counts.Sum(), series);
    }
}
