using System.Runtime.InteropServices;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// The fsync of the write-ahead log that <c>PRAGMA synchronous = FULL</c> would run inside every commit, run instead on
/// a thread of its own after the commit, so the writer can commit the next batch while the disk flushes this one.
/// <para>
/// SQLite documents FULL in WAL mode as NORMAL plus one sync of the WAL file after each commit; NORMAL already syncs
/// the WAL before each checkpoint, the database after it, and the WAL header when the log is reused. So a write whose
/// <see cref="AfterCommitAsync"/> task completed is as durable as under FULL: its frames were written before a flush
/// began, and the flush covered them. One flush serves every commit that registered before it started; a commit that
/// registers while a flush runs waits for the next one, because the running flush may have missed its frames.
/// </para>
/// On Linux an fsync flushes the file, not the descriptor, so a handle of our own on the <c>-wal</c> file flushes what
/// SQLite wrote through its handle. The handle is opened per flush: the file is deleted and made anew when the last
/// connection to the database closes, and a stale handle would flush the old file. The first flush also syncs the
/// directory, so the <c>-wal</c> file's own entry survives a power cut (SQLite under NORMAL leaves that to its first
/// checkpoint).
/// </summary>
internal sealed partial class WalFlush : IDisposable
{
    private readonly Action _flush;
    private readonly object _lock = new();
    private readonly Thread _thread;
    private List<TaskCompletionSource>? _waiting;
    private bool _stopping;

    /// <summary>Flushes the WAL of the database at <paramref name="databasePath"/>.</summary>
    public WalFlush(string databasePath)
        : this(FsyncOf(databasePath + "-wal", Path.GetDirectoryName(databasePath)))
    {
    }

    /// <summary>Runs <paramref name="flush"/> as the flush (tests substitute one they control).</summary>
    public WalFlush(Action flush)
    {
        _flush = flush;
        _thread = new Thread(Run) { IsBackground = true, Name = "Tally WAL flush" };
        _thread.Start();
    }

    /// <summary>Completes once a flush that began after this call has finished; faults if that flush failed.</summary>
    public Task AfterCommitAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_stopping)
            {
                throw new ObjectDisposedException(nameof(WalFlush));
            }

            (_waiting ??= []).Add(done);
            Monitor.Pulse(_lock);
        }

        return done.Task;
    }

    /// <summary>Flushes now, on the caller's thread: for the rare writes made under the write gate (deletion, keys, audit).</summary>
    public void Now() => _flush();

    /// <summary>Finishes the flushes already asked for, then stops the thread.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.Pulse(_lock);
        }

        _thread.Join();
    }

    private void Run()
    {
        while (true)
        {
            List<TaskCompletionSource> batch;
            lock (_lock)
            {
                while (_waiting is null && !_stopping)
                {
                    Monitor.Wait(_lock);
                }

                if (_waiting is null)
                {
                    return;
                }

                batch = _waiting;
                _waiting = null;
            }

            try
            {
                _flush();
                foreach (var done in batch)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                // Not durable: the writes' callers must not acknowledge them.
                foreach (var done in batch)
                {
                    done.TrySetException(e);
                }
            }
        }
    }

    private static Action FsyncOf(string walPath, string? directory)
    {
        var directorySynced = false;
        return () =>
        {
            try
            {
                using var handle = File.OpenHandle(walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                RandomAccess.FlushToDisk(handle);
            }
            catch (FileNotFoundException)
            {
                // No log: the last connection checkpointed it into the database, synced, and deleted it.
                return;
            }

            if (!directorySynced && directory is not null && !OperatingSystem.IsWindows())
            {
                SyncDirectory(directory);
                directorySynced = true;
            }
        };
    }

    private static void SyncDirectory(string directory)
    {
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"could not open {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"could not sync {directory} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // .NET opens no handle on a directory, so its entry is synced through libc.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
