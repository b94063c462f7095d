using Microsoft.Data.Sqlite;
using SQLitePCL;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Appends one raw event. The caller has checked its id against <see cref="Dedup.KnownEventIds"/>: the table has no
/// unique key on the id, because a B-tree keyed by random ids costs a page write per event.
/// <para>
/// This is the one statement run per stored event, so it binds through SQLite's C API directly rather than through
/// <see cref="SqliteCommand"/>, whose per-execution parameter handling cost about as much CPU as SQLite's own insert
/// (measured: ~8–10 µs a row through SqliteCommand, ~5 µs bound directly, same file and load). It runs on the writer's
/// connection, so it is part of whatever transaction that connection has open.
/// </para>
/// </summary>
internal sealed class InsertEvent : IDisposable
{
    private const string Sql = """
        INSERT INTO events (event_id, name, type, ts, received_at, original_timestamp, anonymous_id, user_id,
                            session_id, environment, source, request_id, count, properties, previous_id)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
        """;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public InsertEvent(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v3(_db, Sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _), _db);
    }

    public void Execute(CollectedEvent e)
    {
        try
        {
            Text(1, e.EventId);
            Text(2, e.Name);
            Text(3, e.Type);
            Check(raw.sqlite3_bind_int64(_statement, 4, UnixTime.ToMs(e.Timestamp)));
            Check(raw.sqlite3_bind_int64(_statement, 5, UnixTime.ToMs(e.ReceivedAt)));
            Text(6, e.OriginalTimestamp);
            Text(7, e.AnonymousId);
            Text(8, e.UserId);
            Text(9, e.SessionId);
            Text(10, e.Environment);
            Text(11, e.Source);
            Text(12, e.RequestId);
            Check(raw.sqlite3_bind_int64(_statement, 13, e.Count));
            Text(14, e.PropertiesJson);
            Text(15, e.PreviousId);
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }
        finally
        {
            // A statement left active would keep the transaction from committing or rolling back.
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Text(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
