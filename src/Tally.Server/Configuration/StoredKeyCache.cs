using Tally.Core.Governance;
using Tally.Core.Storage;

namespace Tally.Server.Configuration;

/// <summary>
/// The store's keys by hash, re-read every <see cref="TallyServerOptions.KeyRefreshInterval"/> in the background, so
/// authenticating a request never waits on the store and a revocation made elsewhere applies within that delay.
/// A failed refresh keeps the previous snapshot (a store outage must not lock every caller out) and is retried.
/// </summary>
public sealed class StoredKeyCache : IAsyncDisposable
{
    // One refresh at a time: a slow read begun before a revocation must not overwrite a read made after it.
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile IReadOnlyDictionary<string, StoredApiKey> _byHash = new Dictionary<string, StoredApiKey>(StringComparer.Ordinal);
    private readonly IKeyStore _store;
    private readonly PeriodicRefresh _background;

    public StoredKeyCache(IKeyStore store, TimeSpan interval)
    {
        _store = store;
        _background = new PeriodicRefresh(RefreshAsync, interval);
    }

    /// <summary>The stored key with this SHA-256 hash (revoked ones included), or null.</summary>
    public StoredApiKey? Find(string hash) => _byHash.GetValueOrDefault(hash);

    /// <summary>Reads every key now; awaited at start and after this server itself creates or revokes a key.</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var keys = await _store.ListKeysAsync(ct).ConfigureAwait(false);
            _byHash = keys.GroupBy(k => k.Hash, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Start() => _background.Start();

    // _refresh is left undisposed: a /v1/keys request finishing during shutdown may still wait on it.
    public ValueTask DisposeAsync() => _background.DisposeAsync();
}
