using Tally.Core.Events;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>
/// Finishes an INSERT that a server crash cut short between its tables. An INSERT into <c>events</c> (or
/// <c>counted_events</c>) commits the table's part first and then one part per materialized view, one after another
/// (in 18.16: <c>rollups_daily</c>, then <c>seen_ids</c>). A server killed in between leaves events whose ids are not in
/// <c>seen_ids</c>, so the check-then-insert of the retry would store them a second time, and their counts may or may
/// not be in the roll-up. Found by the outage test: SIGKILL of ClickHouse mid-stream doubled a shipped batch about one
/// run in three.
/// The repair looks the batch's unseen ids up in the raw tables themselves (bounded by name and time, the leading
/// columns of their sort keys), treats those found as stored, adds their missing <c>seen_ids</c> rows, and brings the
/// roll-up of their (day, name, environment, source, dimensions) keys up to the sum of the raw tables, which is what the
/// views would have written. It costs a scan, so the writer runs it only when a write may have been cut short: the
/// first write of a store (the previous process may have died mid-write) and the first after a failed one.
/// </summary>
internal sealed class PartialWriteRepair(ClickHouseHttp http)
{
    private sealed record Found(string EventId, long ReceivedAt, string Day, string Name, string Environment, string Source, string Dimensions);

    private sealed record RollupKey(string Day, string Name, string Environment, string Source, string Dimensions);

    /// <summary>Repairs what a cut-short write left of <paramref name="unseen"/> (events whose ids are not in seen_ids); returns the ids found stored.</summary>
    public async Task<HashSet<string>> RepairAsync(IReadOnlyList<CollectedEvent> unseen, CancellationToken ct)
    {
        var found = new Dictionary<string, Found>(StringComparer.Ordinal);
        foreach (var row in await FindAsync(unseen.Where(e => !e.AggregateOnly).ToList(), EventRows.Table, ct).ConfigureAwait(false))
        {
            found.TryAdd(row.EventId, row);
        }

        foreach (var row in await FindAsync(unseen.Where(e => e.AggregateOnly).ToList(), CountedEventRows.Table, ct).ConfigureAwait(false))
        {
            found.TryAdd(row.EventId, row);
        }

        if (found.Count == 0)
        {
            return [];
        }

        using var seen = new JsonEachRow();
        foreach (var f in found.Values)
        {
            var json = seen.Begin();
            json.WriteString("event_id"u8, f.EventId);
            json.WriteNumber("received_at"u8, f.ReceivedAt);
            seen.End();
        }

        // The roll-up first: if this insert fails, the ids are still unseen and the next write repairs again.
        await ReconcileRollupsAsync(found.Values.Select(f => new RollupKey(f.Day, f.Name, f.Environment, f.Source, f.Dimensions)).ToHashSet(), ct).ConfigureAwait(false);
        await http.InsertAsync("seen_ids", seen, ct).ConfigureAwait(false);
        return found.Keys.ToHashSet(StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<Found>> FindAsync(IReadOnlyList<CollectedEvent> events, string table, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return [];
        }

        // Both tables sort by name first (events then by ts, counted_events by day), so these bounds prune by the key.
        var range = table == EventRows.Table
            ? $"ts >= {SqlLiteral.Int64(events.Min(e => UnixTime.ToMs(e.Timestamp)))} AND ts <= {SqlLiteral.Int64(events.Max(e => UnixTime.ToMs(e.Timestamp)))}"
            : $"day >= {SqlLiteral.Date(events.Min(e => UnixTime.UtcDay(e.Timestamp)))} AND day <= {SqlLiteral.Date(events.Max(e => UnixTime.UtcDay(e.Timestamp)))}";
        // Raw events add to the roll-up rows without dimensions.
        var dimensions = table == EventRows.Table ? "''" : "dimensions";
        var rows = await http.QueryAsync(
            $"SELECT event_id, received_at, day, name, environment, source, {dimensions} FROM {table} WHERE name IN names AND {range} AND event_id IN ids",
            7, ct,
            ExternalTable.Ids("names", events.Select(e => e.Name).Distinct(StringComparer.Ordinal)),
            ExternalTable.Ids("ids", events.Select(e => e.EventId))).ConfigureAwait(false);
        return rows.Select(r => new Found(r[0], TabSeparated.Int64(r[1]), r[2], r[3], r[4], r[5], r[6])).ToList();
    }

    /// <summary>Adds to the roll-up of each key what the raw tables hold beyond it: nothing when the views did write it.</summary>
    private async Task ReconcileRollupsAsync(IReadOnlySet<RollupKey> keys, CancellationToken ct)
    {
        var days = keys.Select(k => UnixTime.ParseDay(k.Day)).ToList();
        var from = UnixTime.ToMs(new DateTimeOffset(days.Min().ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var to = UnixTime.ToMs(new DateTimeOffset(days.Max().AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        ExternalTable[] tables =
        [
            ExternalTable.Ids("names", keys.Select(k => k.Name).Distinct(StringComparer.Ordinal)),
            ExternalTable.Ids("days", keys.Select(k => k.Day).Distinct(StringComparer.Ordinal)),
        ];
        var raw = await SumsAsync(
            $"""
            SELECT day, name, environment, source, dimensions, sum(count) FROM (
                SELECT day, name, environment, source, '' AS dimensions, count FROM events
                WHERE name IN names AND ts >= {SqlLiteral.Int64(from)} AND ts < {SqlLiteral.Int64(to)} AND toString(day) IN days
                UNION ALL
                SELECT day, name, environment, source, dimensions, count FROM counted_events WHERE name IN names AND toString(day) IN days
            )
            GROUP BY day, name, environment, source, dimensions
            """, tables, ct).ConfigureAwait(false);
        var rolled = await SumsAsync(
            "SELECT day, name, environment, source, dimensions, sum(count) FROM rollups_daily WHERE name IN names AND toString(day) IN days GROUP BY day, name, environment, source, dimensions",
            tables, ct).ConfigureAwait(false);

        using var rows = new JsonEachRow();
        foreach (var key in keys)
        {
            var missing = raw.GetValueOrDefault(key) - rolled.GetValueOrDefault(key);
            if (missing <= 0)
            {
                continue;
            }

            var json = rows.Begin();
            json.WriteString("day"u8, key.Day);
            json.WriteString("name"u8, key.Name);
            json.WriteString("environment"u8, key.Environment);
            json.WriteString("source"u8, key.Source);
            json.WriteString("dimensions"u8, key.Dimensions);
            json.WriteNumber("count"u8, missing);
            rows.End();
        }

        if (rows.Count > 0)
        {
            await http.InsertAsync("rollups_daily", rows, ct).ConfigureAwait(false);
        }
    }

    private async Task<Dictionary<RollupKey, long>> SumsAsync(string sql, ExternalTable[] tables, CancellationToken ct)
    {
        var rows = await http.QueryAsync(sql, 6, ct, tables).ConfigureAwait(false);
        return rows.ToDictionary(r => new RollupKey(r[0], r[1], r[2], r[3], r[4]), r => TabSeparated.Int64(r[5]));
    }
}
