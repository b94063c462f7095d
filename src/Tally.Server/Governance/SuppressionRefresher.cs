using Tally.Core.Pipeline;
using Tally.Core.Storage;

namespace Tally.Server.Governance;

/// <summary>
/// Rereads the store's suppression list every few seconds, so a subject deleted by <c>tally forget</c> or by another
/// collector on the same store is dropped by this one too, not only after its next start. A deletion through this
/// server's own API suppresses at once; this covers everyone else. A failed read is retried at the next tick.
/// </summary>
public sealed class SuppressionRefresher(ISubjectStore store, SuppressionList suppressed, TimeSpan interval) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Adds every hash the store holds that this list lacks.</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        foreach (var hash in await store.ReadSuppressedAsync(ct).ConfigureAwait(false)) suppressed.AddHash(hash);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try { await RefreshAsync(_stop.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException) { /* the store is unreachable: next tick */ }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
