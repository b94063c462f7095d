using Microsoft.Data.Sqlite;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite;

/// <summary>
/// Retention on the embedded store. Deletions go in chunks, each its own short transaction with the write gate
/// released in between, so a year of expired rows never holds the collector's writes up for longer than one chunk.
/// </summary>
public sealed partial class SqliteEventStore : IRetentionStore
{
    /// <summary>Rows per delete transaction: small enough to keep a collector's commit waiting only milliseconds.</summary>
    private const int DeleteChunk = 5000;

    public async Task<IReadOnlyDictionary<string, long>> CountEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var cutoff in cutoffs)
        {
            var n = await CountAsync("SELECT count(*) FROM events WHERE name = $name AND ts < $before", c => Bind(c, cutoff), ct).ConfigureAwait(false);
            if (n > 0) counts[cutoff.Name] = counts.GetValueOrDefault(cutoff.Name) + n;
        }

        return counts;
    }

    public async Task<IReadOnlyDictionary<string, long>> DeleteEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var cutoff in cutoffs)
        {
            // The (name, ts) index finds the oldest rows of the event; rowid deletes them without a second index walk.
            var n = await DeleteInChunksAsync(
                $"DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE name = $name AND ts < $before LIMIT {DeleteChunk})",
                c => Bind(c, cutoff), ct).ConfigureAwait(false);
            if (n > 0)
            {
                counts[cutoff.Name] = counts.GetValueOrDefault(cutoff.Name) + n;
                // The analytics projection only appends; it must forget the deleted rows.
                InvalidateAnalyticsProjection();
            }
        }

        return counts;
    }

    public Task<long> CountRollupsBeforeAsync(DateOnly before, CancellationToken ct = default) =>
        CountAsync("SELECT count(*) FROM rollups_daily WHERE day < $before", c => c.Parameters.AddWithValue("$before", UnixTime.DayText(before)), ct);

    public Task<long> DeleteRollupsBeforeAsync(DateOnly before, CancellationToken ct = default) =>
        // The primary key starts with day, so the range is one index walk.
        DeleteInChunksAsync(
            $"DELETE FROM rollups_daily WHERE (day, name, environment, source) IN (SELECT day, name, environment, source FROM rollups_daily WHERE day < $before LIMIT {DeleteChunk})",
            c => c.Parameters.AddWithValue("$before", UnixTime.DayText(before)), ct);

    private static void Bind(SqliteCommand command, EventCutoff cutoff)
    {
        command.Parameters.AddWithValue("$name", cutoff.Name);
        command.Parameters.AddWithValue("$before", UnixTime.ToMs(cutoff.Before));
    }

    private async Task<long> CountAsync(string sql, Action<SqliteCommand> bind, CancellationToken ct)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private async Task<long> DeleteInChunksAsync(string sql, Action<SqliteCommand> bind, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            int deleted;
            await _writeGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var connection = Writer().Connection;
                using var tx = connection.BeginTransaction(deferred: false);
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = tx;
                    command.CommandText = sql;
                    bind(command);
                    deleted = command.ExecuteNonQuery();
                }

                tx.Commit();
            }
            finally
            {
                _writeGate.Release();
            }

            total += deleted;
            if (deleted < DeleteChunk) return total;
        }
    }
}
