namespace Tally.Server;

/// <summary>
/// Runs a refresh every interval in the background until disposed, for the state a server mirrors from its store
/// (stored keys, the suppression list) that other processes may change. A failed refresh keeps what was read before
/// and is retried at the next tick: a store outage must not stop the server.
/// </summary>
public sealed class PeriodicRefresh(Func<CancellationToken, Task> refresh, TimeSpan interval) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop ??= Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await refresh(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Keep what was read last; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
