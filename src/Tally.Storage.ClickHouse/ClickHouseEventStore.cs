using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Schema;
using Tally.Storage.ClickHouse.Writing;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// A store in a ClickHouse database, over its HTTP interface. Runs on ClickHouse 18.16 and current releases.
/// Writes are serialised within one instance, because deduplication by event id is check-then-insert (ClickHouse has
/// no unique keys): one collector per database until the spool/insert-id scheme exists. A write is complete when its
/// task completes: the rows are in parts on the server's disk (ClickHouse does not fsync them by default, so an OS
/// crash can lose the last writes; a server process crash cannot). Reads are in <c>ClickHouseEventStore.Reads.cs</c>.
/// </summary>
public sealed partial class ClickHouseEventStore : IEventStore
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ClickHouseHttp _http;
    private readonly StoreWriter _writer;
    private readonly QuarantineRemoval _removal;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>A store in <paramref name="database"/> on the server whose HTTP interface is at <paramref name="httpBase"/> (e.g. <c>http://127.0.0.1:8123/</c>).</summary>
    public ClickHouseEventStore(Uri httpBase, string database, string? user = null, string? password = null)
    {
        _http = new ClickHouseHttp(httpBase, database, user, password);
        _writer = new StoreWriter(_http);
        _removal = new QuarantineRemoval(_http);
    }

    public ClickHouseEventStore(ClickHouseStoreUri uri)
        : this((uri ?? throw new ArgumentNullException(nameof(uri))).HttpBase, uri.Database, uri.User, uri.Password)
    {
    }

    /// <summary>The database the store's tables are in.</summary>
    public string Database => _http.Database;

    /// <summary>Creates and initializes a store in one step.</summary>
    public static async Task<ClickHouseEventStore> OpenAsync(ClickHouseStoreUri uri, CancellationToken ct = default)
    {
        var store = new ClickHouseEventStore(uri);
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

    /// <summary>Creates the database and its tables if missing; safe to call again and from several stores.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await SchemaMigrator.MigrateAsync(_http, ct).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Writes a batch: one query for the ids already stored, then one INSERT per table with new rows. Cancelled or failed
    /// part-way, some tables may be written; writing the same batch again completes it without duplicating anything.
    /// </summary>
    public async Task<WriteResult> WriteAsync(WriteBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            EnsureReady();
            return await _writer.WriteAsync(batch, ct).ConfigureAwait(false);
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
            EnsureReady();
            return await _removal.RemoveAsync(ids, ct).ConfigureAwait(false);
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
            EnsureReady();
            await _writer.SetOptOutAsync(actorId, optedOut, at, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Waits for a write in progress, then closes the HTTP connections. Nothing is buffered client-side.</summary>
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
            _http.Dispose();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void EnsureReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the store.");
        }
    }
}
