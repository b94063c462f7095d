using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Reading;

/// <summary>
/// Turns an <see cref="EventQuery"/> into a WHERE clause on the events table's sort key (name, ts), so ClickHouse reads
/// only the granules in range. Values go in through <see cref="SqlLiteral"/>. The range is half-open: <c>From &lt;= ts &lt; To</c>.
/// </summary>
internal static class EventFilter
{
    public static string Where(EventQuery query)
    {
        var clauses = new List<string>(3);
        if (query.Name is not null)
        {
            clauses.Add($"name = {SqlLiteral.String(query.Name)}");
        }

        if (query.From is { } from)
        {
            clauses.Add($"ts >= {SqlLiteral.Int64(UnixTime.ToMs(from))}");
        }

        if (query.To is { } to)
        {
            clauses.Add($"ts < {SqlLiteral.Int64(UnixTime.ToMs(to))}");
        }

        return clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
    }
}
