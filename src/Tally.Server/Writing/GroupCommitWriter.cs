using System.Threading.Channels;
using Tally.Core.Events;
using Tally.Core.Storage;

namespace Tally.Server.Writing;

/// <summary>
/// Group commit: concurrent requests hand their batches to one writer loop, which merges whatever is waiting into
/// a single store transaction (one fsync for many requests) and then completes each request's task with its own
/// outcomes. A request is answered only after its commit, so a 2xx always means durably stored.
/// </summary>
public sealed class GroupCommitWriter : IBatchSink
{
    private sealed record Pending(WriteBatch Batch, TaskCompletionSource<WriteResult> Done, DateTimeOffset EnqueuedAt);

    private const int MaxEventsPerCommit = 20_000;
    private readonly IEventStore _store;
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _oldestPendingTicks;

    public GroupCommitWriter(IEventStore store)
    {
        _store = store;
        _loop = Task.Run(RunAsync);
    }

    public double FreshnessSeconds => OldestPendingSeconds;

    /// <summary>Seconds the oldest waiting batch has waited; 0 when nothing waits.</summary>
    public double OldestPendingSeconds
    {
        get
        {
            var t = Interlocked.Read(ref _oldestPendingTicks);
            return t == 0 ? 0 : Math.Max(0, (DateTimeOffset.UtcNow.UtcTicks - t) / (double)TimeSpan.TicksPerSecond);
        }
    }

    public async Task RecordOptOutsAsync(IReadOnlyList<OptOutChange> changes, CancellationToken ct)
    {
        foreach (var c in changes) await _store.SetOptOutAsync(c.Actor, c.OptedOut, c.At, ct).ConfigureAwait(false);
    }

    public Task<WriteResult> WriteAsync(WriteBatch batch)
    {
        if (batch.Events.Count == 0 && batch.Quarantined.Count == 0 && batch.Links.Count == 0)
            return Task.FromResult(new WriteResult([], 0));
        var pending = new Pending(batch, new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously), DateTimeOffset.UtcNow);
        Interlocked.CompareExchange(ref _oldestPendingTicks, pending.EnqueuedAt.UtcTicks, 0);
        if (!_channel.Writer.TryWrite(pending)) pending.Done.SetException(new ObjectDisposedException(nameof(GroupCommitWriter)));
        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>();
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var events = 0;
            while (events < MaxEventsPerCommit && _channel.Reader.TryRead(out var p))
            {
                group.Add(p);
                events += p.Batch.Events.Count + p.Batch.Quarantined.Count;
            }
            if (group.Count == 0) continue;
            try
            {
                var merged = group.Count == 1
                    ? group[0].Batch
                    : new WriteBatch(
                        group.SelectMany(g => g.Batch.Events).ToList(),
                        group.SelectMany(g => g.Batch.Quarantined).ToList(),
                        group.SelectMany(g => g.Batch.Links).ToList(),
                        group.TrueForAll(g => g.Batch.Fingerprints is not null) ? group.SelectMany(g => g.Batch.Fingerprints!).ToList() : null);
                var result = await _store.WriteAsync(merged).ConfigureAwait(false);
                var offset = 0;
                foreach (var g in group)
                {
                    var n = g.Batch.Events.Count;
                    var slice = new WriteOutcome[n];
                    for (var i = 0; i < n; i++) slice[i] = result.Events[offset + i];
                    offset += n;
                    g.Done.TrySetResult(new WriteResult(slice, g.Batch.Quarantined.Count));
                }
            }
            catch (Exception e)
            {
                foreach (var g in group) g.Done.TrySetException(e);
            }
            finally
            {
                Interlocked.Exchange(ref _oldestPendingTicks, 0);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
