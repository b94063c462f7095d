using Microsoft.Data.Sqlite;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite.Reading;

/// <summary>
/// Turns an <see cref="EventQuery"/> into a WHERE clause of fixed fragments and bound parameters: only the parts a
/// query uses appear, so SQLite can pick the (name, ts) index. Values are never put into the SQL text.
/// The range is half-open: <c>From &lt;= ts &lt; To</c>.
/// </summary>
internal static class EventFilter
{
    public static string Where(EventQuery query, SqliteCommand command)
    {
        var clauses = new List<string>(3);
        if (query.Name is not null)
        {
            clauses.Add("name = $name");
            command.Parameters.AddWithValue("$name", query.Name);
        }

        if (query.From is { } from)
        {
            clauses.Add("ts >= $from");
            command.Parameters.AddWithValue("$from", UnixTime.ToMs(from));
        }

        if (query.To is { } to)
        {
            clauses.Add("ts < $to");
            command.Parameters.AddWithValue("$to", UnixTime.ToMs(to));
        }

        return clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
    }
}
