using System.Runtime.InteropServices;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// The five calls of SQLite's C API the per-event insert makes, declared against the same native library SQLitePCL
/// loads (<c>e_sqlite3</c>), taking the raw statement pointer. Only <see cref="InsertEvent"/> uses them, on a statement
/// whose lifetime SQLitePCL's safe handle still owns. The binds are short and never block, so they skip the GC
/// transition; the step does I/O and keeps it.
/// </summary>
internal static partial class NativeStatement
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_STATIC: the text stays valid until the statement is stepped or rebound, so SQLite need not copy it.</summary>
    public static readonly IntPtr Static = IntPtr.Zero;

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
    [SuppressGCTransition]
    public static partial int BindText(IntPtr statement, int index, IntPtr utf8, int length, IntPtr destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    public static partial int BindInt64(IntPtr statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_null")]
    [SuppressGCTransition]
    public static partial int BindNull(IntPtr statement, int index);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(IntPtr statement);
}
