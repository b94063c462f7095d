using Microsoft.Data.Sqlite;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Sqlite.Writing;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>
/// The log's fsync runs after the commit, on its own thread (WalFlush): a write is answered only once a flush that
/// began after its commit has finished, and a failed flush fails the writes waiting for it.
/// </summary>
public sealed class WalFlushTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_commit_registered_while_a_flush_runs_waits_for_the_next_flush()
    {
        var flushes = 0;
        using var firstStarted = new SemaphoreSlim(0);
        using var releaseFirst = new SemaphoreSlim(0);
        using var flush = new WalFlush(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstStarted.Release();
                releaseFirst.Wait();
            }
        });

        var early = flush.AfterCommitAsync();
        await firstStarted.WaitAsync(Ct);
        // The running flush may have missed this commit's frames, so it must not answer it.
        var late = flush.AfterCommitAsync();
        releaseFirst.Release();

        await early.WaitAsync(Ct);
        await late.WaitAsync(Ct);
        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task Commits_waiting_together_share_one_flush()
    {
        var flushes = 0;
        using var gate = new SemaphoreSlim(0);
        using var flush = new WalFlush(() =>
        {
            Interlocked.Increment(ref flushes);
            gate.Wait();
        });

        var first = flush.AfterCommitAsync();
        // Wait until the first flush holds the thread, then queue three more behind it.
        while (Volatile.Read(ref flushes) == 0) await Task.Delay(1, Ct);
        var waiting = new[] { flush.AfterCommitAsync(), flush.AfterCommitAsync(), flush.AfterCommitAsync() };
        gate.Release(2);

        await first.WaitAsync(Ct);
        await Task.WhenAll(waiting).WaitAsync(Ct);
        Assert.Equal(2, Volatile.Read(ref flushes));
    }

    [Fact]
    public async Task A_failed_flush_fails_the_writes_that_waited_for_it()
    {
        using var flush = new WalFlush(() => throw new IOException("disk gone"));

        var error = await Assert.ThrowsAsync<IOException>(() => flush.AfterCommitAsync().WaitAsync(Ct));
        Assert.Equal("disk gone", error.Message);
    }

    [Fact]
    public async Task Disposing_finishes_the_flushes_already_asked_for()
    {
        var flushed = 0;
        var flush = new WalFlush(() =>
        {
            Thread.Sleep(20);
            Interlocked.Increment(ref flushed);
        });
        var pending = flush.AfterCommitAsync();

        flush.Dispose();

        await pending.WaitAsync(Ct);
        Assert.Equal(1, flushed);
        Assert.Throws<ObjectDisposedException>(() => { _ = flush.AfterCommitAsync(); });
    }

    [Fact]
    public async Task A_written_batch_is_in_the_write_ahead_log_that_the_flush_syncs()
    {
        var path = _directory.File("tally.db");
        await using var store = await SqliteEventStore.OpenAsync(path, Ct);

        var result = await store.WriteAsync(WriteBatch.Of(Some.Event()), Ct);

        Assert.Equal([WriteOutcome.Stored], result.Events);
        Assert.True(File.Exists(path + "-wal"), "the log the flush syncs is the -wal file beside the database");
        Assert.Equal(2, store.WriteOverlap);
        await using var read = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await read.OpenAsync(Ct);
        await using var command = read.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
    }
}
