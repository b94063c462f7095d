using Microsoft.Data.Sqlite;
using SQLitePCL;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Writing;

namespace Tally.Storage.Sqlite.Dedup;

/// <summary>
/// Reads the ids one append-only table (<c>events</c> or <c>seen_ids</c>) gained after a <c>seq</c>, straight into a
/// <see cref="FingerprintSet"/>. Opening a store reads every id this way, so it runs through SQLite's C API and hashes
/// each id's UTF-8 bytes where SQLite holds them: through <see cref="SqliteDataReader"/> each id became a .NET string
/// that was then encoded back to UTF-8, with a safe-handle reference per column read. Runs on the writer's connection,
/// inside whatever transaction it has open.
/// </summary>
internal sealed class StoredIds : IDisposable
{
    // Ids per prefetched run (FingerprintSet.AddRange): enough memory accesses in flight to overlap, few enough that
    // the prefetched slots are still cached when their probes come.
    private const int Run = 32;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;

    public StoredIds(SqliteConnection connection, string table)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(
            raw.sqlite3_prepare_v3(_db, $"SELECT seq, event_id FROM {table} WHERE seq > ?1 ORDER BY seq", raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _),
            _db);
        _handle = _statement.DangerousGetHandle();
    }

    /// <summary>Adds the fingerprint of every id with a <c>seq</c> above <paramref name="after"/>; returns the highest <c>seq</c> read, or <paramref name="after"/>.</summary>
    public unsafe long AddAfter(long after, FingerprintSet set)
    {
        var last = after;
        Span<UInt128> run = stackalloc UInt128[Run];
        var pending = 0;
        try
        {
            NativeStatement.Check(NativeStatement.BindInt64(_handle, 1, after), _db);
            int rc;
            while ((rc = NativeStatement.Step(_handle)) == raw.SQLITE_ROW)
            {
                last = NativeStatement.ColumnInt64(_handle, 0);
                var text = NativeStatement.ColumnText(_handle, 1);
                var length = NativeStatement.ColumnBytes(_handle, 1);
                run[pending++] = EventIdFingerprint.Of(new ReadOnlySpan<byte>((void*)text, length));
                if (pending == Run)
                {
                    set.AddRange(run);
                    pending = 0;
                }
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            set.AddRange(run[..pending]);
            return last;
        }
        finally
        {
            // A statement left active would keep the transaction from committing or rolling back.
            NativeStatement.Reset(_handle);
        }
    }

    public void Dispose() => _statement.Dispose();
}
