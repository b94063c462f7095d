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
/// Given a URI with <c>?cluster=</c>, the same store runs on the sharded layout of docs/scale-out.md.
/// </summary>
public sealed partial class ClickHouseEventStore : IEventStore
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ClickHouseHttp _http;
    private readonly ClusterNodes? _cluster;
    private readonly StoreWriter _writer;
    private readonly QuarantineRemoval _removal;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>A store in <paramref name="database"/> on the server whose HTTP interface is at <paramref name="httpBase"/> (e.g. <c>http://127.0.0.1:8123/</c>).</summary>
    public ClickHouseEventStore(Uri httpBase, string database, string? user = null, string? password = null)
        : this(new ClickHouseHttp(httpBase, database, user, password), cluster: null)
    {
    }

    /// <summary>A store where <paramref name="uri"/> says: one node, or the sharded layout over a cluster.</summary>
    public ClickHouseEventStore(ClickHouseStoreUri uri)
        : this(EntryNode(uri ?? throw new ArgumentNullException(nameof(uri))), Cluster(uri))
    {
    }

    private ClickHouseEventStore(ClickHouseHttp http, ClusterNodes? cluster)
    {
        _http = http;
        _cluster = cluster;
        _writer = new StoreWriter(_http);
        _removal = new QuarantineRemoval(_http);
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
            await SchemaMigrator.MigrateAsync(_http, _cluster, ct).ConfigureAwait(false);
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
            foreach (var node in _cluster?.Others ?? [])
            {
                node.Dispose();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// The node every query and INSERT goes to. On a cluster, an INSERT into a Distributed table returns only once
    /// every shard has written its rows (<c>insert_distributed_sync</c>; the default queues them on the entry node's
    /// disk and sends them later, so a 200 would not mean "in the store", and the check for stored ids would miss
    /// them); and IN subqueries over Distributed tables read the whole table once on the entry node
    /// (<c>distributed_product_mode=global</c>), so SQL written for one node means the same on a cluster.
    /// </summary>
    private static ClickHouseHttp EntryNode(ClickHouseStoreUri uri) =>
        uri.Cluster is null
            ? new ClickHouseHttp(uri.HttpBase, uri.Database, uri.User, uri.Password)
            : new ClickHouseHttp(uri.HttpBase, uri.Database, uri.User, uri.Password, new Dictionary<string, string>
            {
                ["insert_distributed_sync"] = "1",
                ["distributed_product_mode"] = "global",
            });

    private static ClusterNodes? Cluster(ClickHouseStoreUri uri) =>
        uri.Cluster is null ? null : new ClusterNodes(uri.Cluster, [.. uri.OtherNodes.Select(n => new ClickHouseHttp(n, uri.Database, uri.User, uri.Password))]);

    private void EnsureReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the store.");
        }
    }
}
