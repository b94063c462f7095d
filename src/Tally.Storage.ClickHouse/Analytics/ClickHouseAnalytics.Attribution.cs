using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.ClickHouse.Analytics;

internal sealed partial class ClickHouseAnalytics
{
    /// <summary>
    /// Last touch in SQL: per actor, its conversions and its touches sorted by (time, credit value); each conversion
    /// (ARRAY JOIN) takes the latest touch at or before it (the number of touches at or before it is that touch's
    /// index) if it lies within the window, and of the touches at that instant the first in the sort, the smallest
    /// value. Conversions are summed per filter and credit value.
    /// </summary>
    public async Task<AttributionResult> AttributionAsync(AttributionDefinition attribution, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        ArgumentNullException.ThrowIfNull(range);
        if (attribution.Scope == CountingUnit.Event) throw new ArgumentException("attribution needs a scope actor: session, user or anonymous", nameof(attribution));
        var window = AnalyticsSql.WindowMs(attribution.Window);
        long from = range.FromMs, to = range.ToMs;
        var source = Source(attribution.Scope)
            .InRange(AnalyticsSql.AddSaturating(from, -window), to)
            .Where(FilterSql.Names(attribution.Conversions.Append(attribution.Touch)));
        var s = source.Select;
        var inRange = $"t >= {AnalyticsSql.Int64(from)}";
        // The first conversion filter the event matches, -1 for none; only events in the range convert.
        s.Add("conv", "toInt32(multiIf(" + string.Concat(attribution.Conversions.Select((c, i) => $"{inRange} AND {source.Matches(c)}, {i}, ")) + "-1))");
        s.Add("touch", source.Matches(attribution.Touch));
        s.Add("credit", source.Properties.TextOrNone(attribution.CreditProperty));

        var sql = $"""
            SELECT conv_filter, attributed, if(attributed, credit_value, '') AS value, sum(conv_count)
            FROM (
                SELECT
                    tupleElement(conversion, 1) AS conv_time,
                    tupleElement(conversion, 2) AS conv_count,
                    tupleElement(conversion, 3) AS conv_filter,
                    arrayCount(z_ -> tupleElement(z_, 1) <= conv_time, touches) AS touch_index,
                    tupleElement(arrayElement(touches, touch_index), 1) AS touch_time,
                    toUInt8(touch_index > 0 AND conv_time - touch_time <= {AnalyticsSql.Int64(window)}) AS attributed,
                    tupleElement(arrayElement(touches, arrayFirstIndex(z_ -> tupleElement(z_, 1) = touch_time, touches)), 2) AS credit_value
                FROM (
                    SELECT actor,
                        groupArrayIf((t, c, conv), conv >= 0) AS conversions,
                        arraySort(groupArrayIf((t, credit), touch AND actor != '')) AS touches
                    FROM ({EventSource.Rows})
                    WHERE conv >= 0 OR touch
                    GROUP BY actor
                )
                ARRAY JOIN conversions AS conversion
                WHERE NOT ignore(touches, conversion)
            )
            GROUP BY conv_filter, attributed, value
            """;
        var rows = await QueryAsync(source, sql, 4, ct).ConfigureAwait(false);

        var total = new AttributionTotals();
        var byFilter = attribution.Conversions.Select(_ => new AttributionTotals()).ToArray();
        foreach (var r in rows)
        {
            var filter = (int)AnalyticsSql.Long(r[0]);
            string? credit = r[1] == "1" ? r[2] : null;
            var count = AnalyticsSql.Long(r[3]);
            total.Add(count, credit);
            byFilter[filter].Add(count, credit);
        }

        return new AttributionResult(attribution.Name, total.Conversions, total.Attributed, total.Conversions - total.Attributed, total.Credits(),
            byFilter.Select((t, i) => new AttributionByConversion(attribution.Conversions[i].ToString(), t.Conversions, t.Attributed, t.Conversions - t.Attributed, t.Credits())).ToList());
    }
}
