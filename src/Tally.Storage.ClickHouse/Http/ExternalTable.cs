namespace Tally.Storage.ClickHouse.Http;

/// <summary>
/// A temporary table sent along with a query (ClickHouse's "external data"): lists of ids travel as JSONEachRow rows
/// in the request body rather than as an <c>IN (...)</c> literal, so they need no escaping and no query-size limit.
/// </summary>
/// <param name="Name">The name the query refers to, e.g. <c>WHERE event_id IN ids</c>.</param>
/// <param name="Structure">Its columns, e.g. <c>id String</c>.</param>
/// <param name="Rows">JSONEachRow, one object per line.</param>
internal sealed record ExternalTable(string Name, string Structure, ReadOnlyMemory<byte> Rows)
{
    /// <summary>A one-column table <c>id String</c> holding <paramref name="ids"/>.</summary>
    public static ExternalTable Ids(string name, IEnumerable<string> ids)
    {
        using var rows = new JsonEachRow();
        foreach (var id in ids)
        {
            rows.Begin().WriteString(JsonEachRow.Id, id);
            rows.End();
        }

        return new ExternalTable(name, "id String", rows.ToArray());
    }
}
