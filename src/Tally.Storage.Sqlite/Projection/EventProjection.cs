using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// The columnar projection of the <c>events</c> table that analytics reads (docs/architecture.md, "Analytics on
/// the embedded store"): per environment and event name, the timestamp, count, id codes and dictionary-encoded
/// properties of every row. It is kept in memory and caught up from the table by rowid: every analytics query
/// first appends the rows committed since the last catch-up (inside its own read transaction, so it sees exactly
/// what the row store would), and the first query after opening reads the whole table. The write path is not
/// touched. Rows removed from the table (GDPR deletion, retention) are dropped by <see cref="Invalidate"/>, which
/// makes the next query rebuild from the table.
/// Catch-up and invalidation take the write side of a lock; queries hold its read side while they read arrays.
/// </summary>
internal sealed class EventProjection
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private Dictionary<string, Dictionary<string, NamePartition>> _environments = new(StringComparer.Ordinal);
    private IdInterner _ids = new();
    private long _highWaterRowId;
    private long _rows;

    /// <summary>Distinct values a property column keeps before it may be dropped (<see cref="PropertyColumn"/>); tests lower it.</summary>
    public int AlwaysKept { get; set; } = PropertyColumn.DefaultAlwaysKept;

    /// <summary>Rows projected so far.</summary>
    public long Rows => Volatile.Read(ref _rows);

    /// <summary>Time the last catch-up from an empty projection took (the rebuild at open).</summary>
    public TimeSpan LastRebuild { get; private set; }

    /// <summary>Forgets every row: the next query rebuilds from the table. Call after deleting events.</summary>
    public void Invalidate()
    {
        _lock.EnterWriteLock();
        try
        {
            _environments = new(StringComparer.Ordinal);
            _ids = new IdInterner();
            _highWaterRowId = 0;
            Volatile.Write(ref _rows, 0);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Appends the rows committed after the last catch-up, as seen by <paramref name="transaction"/>.</summary>
    public void CatchUp(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        _lock.EnterWriteLock();
        try
        {
            var fromEmpty = _highWaterRowId == 0;
            var clock = Stopwatch.StartNew();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT rowid, environment, name, ts, session_id, anonymous_id, user_id, count, properties FROM events WHERE rowid > $hwm ORDER BY rowid";
            command.Parameters.AddWithValue("$hwm", _highWaterRowId);
            using var reader = command.ExecuteReader();
            string? lastEnvironment = null, lastName = null;
            NamePartition? partition = null;
            var properties = new PropertyStream();
            var added = 0L;
            while (reader.Read())
            {
                if ((added & 4095) == 0) ct.ThrowIfCancellationRequested();
                var environment = reader.GetString(1);
                var name = reader.GetString(2);
                if (partition is null || !string.Equals(environment, lastEnvironment, StringComparison.Ordinal) || !string.Equals(name, lastName, StringComparison.Ordinal))
                {
                    partition = Partition(environment, name);
                    lastEnvironment = environment;
                    lastName = name;
                }
                var row = partition.Add(
                    reader.GetInt64(3),
                    reader.GetInt64(7),
                    _ids.Intern(reader.IsDBNull(4) ? null : reader.GetString(4)),
                    _ids.Intern(reader.IsDBNull(5) ? null : reader.GetString(5)),
                    _ids.Intern(reader.IsDBNull(6) ? null : reader.GetString(6)));
                properties.Read(reader.GetFieldValue<byte[]>(8), partition, row);
                _highWaterRowId = reader.GetInt64(0);
                added++;
            }
            Volatile.Write(ref _rows, _rows + added);
            if (fromEmpty && added > 0) LastRebuild = clock.Elapsed;
        }
        catch
        {
            // A half-applied catch-up cannot be undone row by row; start over next time.
            _environments = new(StringComparer.Ordinal);
            _ids = new IdInterner();
            _highWaterRowId = 0;
            Volatile.Write(ref _rows, 0);
            throw;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Runs <paramref name="read"/> over a stable view of the projection (no catch-up runs meanwhile).</summary>
    public T Read<T>(Func<ProjectionView, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(new ProjectionView(_environments, _ids));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Bytes held by the column arrays (a lower bound of the projection's memory).</summary>
    public long ArrayBytes() => Read(v => v.Environments.Values.SelectMany(e => e.Values).Sum(p => p.ArrayBytes));

    private NamePartition Partition(string environment, string name)
    {
        if (!_environments.TryGetValue(environment, out var names)) _environments[environment] = names = new(StringComparer.Ordinal);
        if (!names.TryGetValue(name, out var partition)) names[name] = partition = new NamePartition(name, AlwaysKept);
        return partition;
    }
}
