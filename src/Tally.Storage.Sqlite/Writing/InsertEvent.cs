using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Appends raw events, one or <see cref="RowsPerStatement"/> per statement. The caller has checked their ids against <see cref="Dedup.KnownEventIds"/>: the table has no
/// unique key on the id, because a B-tree keyed by random ids costs a page write per event.
/// <para>
/// This is the one statement run for stored events, so it binds through SQLite's C API directly rather than through
/// <see cref="SqliteCommand"/>, whose per-execution parameter handling cost about as much CPU as SQLite's own insert
/// (measured: ~8–10 µs a row through SqliteCommand, ~5 µs bound directly, same file and load). It runs on the writer's
/// connection, so it is part of whatever transaction that connection has open.
/// </para>
/// <para>
/// The row's texts are encoded side by side into one pinned buffer and bound in place (<c>SQLITE_STATIC</c>), through
/// <see cref="NativeStatement"/>: SQLitePCL's bindings allocate a UTF-8 copy per value, take a safe-handle reference
/// per call and have SQLite copy the text again, ~5% of the collector's CPU at 100k events/s.
/// </para>
/// </summary>
internal sealed class InsertEvent : IDisposable
{
    /// <summary>Rows per multi-row statement: one statement's fixed cost (start, AUTOINCREMENT bookkeeping, reset) is shared by this many rows.</summary>
    public const int RowsPerStatement = 32;
    private const int Columns = 15;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;
    private readonly sqlite3_stmt _manyStatement;
    private readonly IntPtr _many;
    // Pinned (allocated on the pinned object heap) so SQLite may read the texts in place until the step.
    private byte[] _utf8 = GC.AllocateUninitializedArray<byte>(16 * 1024, pinned: true);
    private int _used;

    public InsertEvent(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v3(_db, Sql(1), raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _), _db);
        _handle = _statement.DangerousGetHandle();
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v3(_db, Sql(RowsPerStatement), raw.SQLITE_PREPARE_PERSISTENT, out _manyStatement, out _), _db);
        _many = _manyStatement.DangerousGetHandle();
    }

    private static string Sql(int rows) =>
        "INSERT INTO events (event_id, name, type, ts, received_at, original_timestamp, anonymous_id, user_id, session_id, environment, source, request_id, count, properties, previous_id) VALUES "
        + string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range(r * Columns + 1, Columns).Select(i => "?" + i)) + ")"));

    /// <summary>Appends <see cref="RowsPerStatement"/> rows with one statement.</summary>
    public void ExecuteMany(ReadOnlySpan<CollectedEvent> rows)
    {
        if (rows.Length != RowsPerStatement) throw new ArgumentException($"exactly {RowsPerStatement} rows", nameof(rows));
        Append(_many, rows);
    }

    /// <summary>Appends one row.</summary>
    public void Execute(CollectedEvent e) => Append(_handle, new ReadOnlySpan<CollectedEvent>(ref e));

    /// <summary>Binds every row of <paramref name="rows"/> to a statement prepared for that many rows, and runs it.</summary>
    private void Append(IntPtr statement, ReadOnlySpan<CollectedEvent> rows)
    {
        _used = 0;
        var max = 0;
        foreach (var e in rows) max += MaxBytes(e);
        Ensure(max);
        try
        {
            for (var r = 0; r < rows.Length; r++) Bind(statement, r * Columns, rows[r]);
            Step(statement);
        }
        finally
        {
            // A statement left active would keep the transaction from committing or rolling back.
            NativeStatement.Reset(statement);
        }
    }

    public void Dispose()
    {
        _statement.Dispose();
        _manyStatement.Dispose();
    }

    /// <summary>Binds one row's 15 values at parameters <paramref name="at"/>+1 … <paramref name="at"/>+15.</summary>
    private void Bind(IntPtr statement, int at, CollectedEvent e)
    {
        Text(statement, at + 1, e.EventId);
        Text(statement, at + 2, e.Name);
        Text(statement, at + 3, e.Type);
        Check(NativeStatement.BindInt64(statement, at + 4, UnixTime.ToMs(e.Timestamp)));
        Check(NativeStatement.BindInt64(statement, at + 5, UnixTime.ToMs(e.ReceivedAt)));
        Text(statement, at + 6, e.OriginalTimestamp);
        Text(statement, at + 7, e.AnonymousId);
        Text(statement, at + 8, e.UserId);
        Text(statement, at + 9, e.SessionId);
        Text(statement, at + 10, e.Environment);
        Text(statement, at + 11, e.Source);
        Text(statement, at + 12, e.RequestId);
        Check(NativeStatement.BindInt64(statement, at + 13, e.Count));
        Text(statement, at + 14, e.PropertiesJson);
        Text(statement, at + 15, e.PreviousId);
    }

    private void Step(IntPtr statement)
    {
        var rc = NativeStatement.Step(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <summary>The most bytes a row's texts can take as UTF-8.</summary>
    private static int MaxBytes(CollectedEvent e) =>
        Max(e.EventId) + Max(e.Name) + Max(e.Type) + Max(e.OriginalTimestamp) + Max(e.AnonymousId) + Max(e.UserId)
        + Max(e.SessionId) + Max(e.Environment) + Max(e.Source) + Max(e.RequestId) + Max(e.PropertiesJson) + Max(e.PreviousId);

    // Encoding.UTF8.GetMaxByteCount's bound, without a call per column per row on the writer thread.
    private static int Max(string? s) => s is null ? 0 : (s.Length + 1) * 3;

    /// <summary>Makes room for every text of the statement before any is bound, so no bound text moves.</summary>
    private void Ensure(int max)
    {
        if (_utf8.Length < max)
        {
            _utf8 = GC.AllocateUninitializedArray<byte>(Math.Max(max, _utf8.Length * 2), pinned: true);
        }
    }

    private void Text(IntPtr statement, int index, string? value)
    {
        if (value is null)
        {
            Check(NativeStatement.BindNull(statement, index));
            return;
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8.AsSpan(_used));
        // Never a null pointer, even for "": SQLite would store NULL instead of the empty text.
        Check(NativeStatement.BindText(statement, index, Marshal.UnsafeAddrOfPinnedArrayElement(_utf8, _used), length, NativeStatement.Static));
        _used += length;
    }

    private void Check(int rc) => NativeStatement.Check(rc, _db);
}
