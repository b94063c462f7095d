using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// The calls of SQLite's C API that the per-event insert and the id loader make, declared against the same native
/// library SQLitePCL loads (<c>e_sqlite3</c>), taking the raw statement pointer. Only <see cref="InsertEvent"/> and
/// <see cref="Dedup.StoredIds"/> use them, on statements whose lifetime SQLitePCL's safe handle still owns. The binds
/// and column reads are short and never block, so they skip the GC transition; the step does I/O and keeps it.
/// </summary>
internal static partial class NativeStatement
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_STATIC: the text stays valid until the statement is stepped or rebound, so SQLite need not copy it.</summary>
    public static readonly IntPtr Static = IntPtr.Zero;

    /// <summary>Throws SQLite's error for <paramref name="rc"/> unless it is SQLITE_OK.</summary>
    public static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    public static partial int BindText(IntPtr statement, int index, IntPtr utf8, int length, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long ColumnInt64(IntPtr statement, int column);

    /// <summary>The column's text as UTF-8, valid until the next step or reset; call before <see cref="ColumnBytes"/>.</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    public static partial IntPtr ColumnText(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    public static partial int ColumnBytes(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(IntPtr statement);
}
