using Microsoft.Data.Sqlite;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Writing;

namespace Tally.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Writes go through a single connection guarded by a
/// semaphore (SQLite has one writer); reads use their own pooled read-only connections and never wait for a write.
/// A write is durable when its task completes. Reads are in <c>SqliteEventStore.Reads.cs</c>.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private StoreWriter? _writer;
    private bool _disposed;

    /// <summary>A store on the SQLite file at <paramref name="path"/>; nothing is opened until <see cref="InitializeAsync"/>.</summary>
    public SqliteEventStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The writer lives as long as the store; pooling it would only keep the file open after disposal.
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Creates and initializes a store in one step.</summary>
    public static async Task<SqliteEventStore> OpenAsync(string path, CancellationToken ct = default)
    {
        var store = new SqliteEventStore(path);
        try
        {
            await store.InitializeAsync(ct).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writer is not null)
            {
                return;
            }

            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            _writer = StoreWriter.Open(_writeConnectionString, BusyTimeout);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<WriteResult> WriteAsync(WriteBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return Writer().Write(batch, ct);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<int> RemoveFromQuarantineAsync(IReadOnlyList<string> ids, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return Writer().RemoveQuarantined(ids, ct);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task SetOptOutAsync(string actorId, bool optedOut, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(actorId);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Writer().SetOptOut(actorId, optedOut, at);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Waits for a write in progress, then closes the file. Every completed write is already committed and synced,
    /// so there is nothing to flush.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer?.Dispose();
            _writer = null;
            // Pooled read connections would keep the file open after the store is gone.
            using var read = new SqliteConnection(_readConnectionString);
            SqliteConnection.ClearPool(read);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The writer; the caller holds the write gate.</summary>
    private StoreWriter Writer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writer ?? throw new InvalidOperationException("Call InitializeAsync before using the store.");
    }

    internal SqliteConnection OpenRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the store.");
        }

        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }
}
