using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Server.Writing;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Spool;

/// <summary>The local spool: acknowledged batches reach the store exactly once, across store outages and crashes.</summary>
public sealed class SpoolWriterTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tally-spool-");
    private SqliteEventStore _store = null!;

    private string SpoolDir => Path.Combine(_dir.FullName, "spool");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await SqliteEventStore.OpenAsync(Path.Combine(_dir.FullName, "tally.db"), Ct);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private static WriteBatch Batch(int n, string prefix) => new(
        Enumerable.Range(0, n).Select(i => new CollectedEvent
        {
            EventId = $"{prefix}-{i}",
            Name = "aurora_widget_open",
            Timestamp = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow,
            SessionId = $"s-{i % 7}",
            PropertiesJson = "{\"sessionId\":\"s\"}",
        }).ToList(), [], []);

    [Fact]
    public async Task Spooled_batches_reach_the_store_exactly_once()
    {
        await using (var spool = new SpoolWriter(SpoolDir, _store) { ShipInterval = TimeSpan.FromMilliseconds(20) })
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(b => spool.WriteAsync(Batch(50, $"b{b}"))));
            Assert.All(results, r => Assert.All(r.Events, o => Assert.Equal(WriteOutcome.Spooled, o)));
            Assert.True(await spool.DrainAsync(TimeSpan.FromSeconds(20)), "the spool did not drain");
        }
        Assert.Equal(1000, await _store.CountEventsAsync(new(), Ct));
    }

    [Fact]
    public async Task A_store_outage_loses_nothing_and_doubles_nothing()
    {
        var flaky = new FlakyStore(_store) { Down = true };
        await using var spool = new SpoolWriter(SpoolDir, flaky) { ShipInterval = TimeSpan.FromMilliseconds(20) };
        for (var b = 0; b < 10; b++) await spool.WriteAsync(Batch(30, $"out{b}"));
        await Task.Delay(300, Ct);
        Assert.Equal(0, await _store.CountEventsAsync(new(), Ct));
        Assert.Equal(300, spool.Depth);
        Assert.True(flaky.Failures > 0, "the shipper never tried the store");

        flaky.Down = false;
        Assert.True(await spool.DrainAsync(TimeSpan.FromSeconds(40)), "the spool did not drain after the store came back");
        Assert.Equal(300, await _store.CountEventsAsync(new(), Ct));
    }

    [Fact]
    public async Task Batches_spooled_before_a_crash_are_shipped_after_restart_and_a_torn_tail_is_cut()
    {
        var flaky = new FlakyStore(_store) { Down = true };
        var spool = new SpoolWriter(SpoolDir, flaky);
        for (var b = 0; b < 5; b++) await spool.WriteAsync(Batch(20, $"crash{b}"));
        // A crash: the process stops without draining; a half-written record is left at the end of the segment.
        await spool.DisposeWithoutDrainForTestsAsync();
        var segment = Directory.GetFiles(SpoolDir, "*.spool").Order().Last();
        await File.AppendAllTextAsync(segment, "\u0010\u0000\u0000\u0000garbage", Ct);

        await using var restarted = new SpoolWriter(SpoolDir, _store) { ShipInterval = TimeSpan.FromMilliseconds(20) };
        Assert.Equal(100, restarted.Depth);
        Assert.True(await restarted.DrainAsync(TimeSpan.FromSeconds(20)));
        await restarted.WriteAsync(Batch(20, "after"));
        Assert.True(await restarted.DrainAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(120, await _store.CountEventsAsync(new(), Ct));
    }

    [Fact]
    public async Task A_batch_shipped_but_not_marked_shipped_is_not_stored_twice()
    {
        await using (var spool = new SpoolWriter(SpoolDir, _store) { ShipInterval = TimeSpan.FromMilliseconds(20) })
        {
            await spool.WriteAsync(Batch(40, "twice"));
            Assert.True(await spool.DrainAsync(TimeSpan.FromSeconds(20)));
        }
        // Forget the shipped position, as a crash between the store commit and the position write would.
        File.Delete(Path.Combine(SpoolDir, "shipped.pos"));
        await using (var again = new SpoolWriter(SpoolDir, _store) { ShipInterval = TimeSpan.FromMilliseconds(20) })
        {
            Assert.True(await again.DrainAsync(TimeSpan.FromSeconds(20)));
        }
        Assert.Equal(40, await _store.CountEventsAsync(new(), Ct));
    }

    [Fact]
    public async Task Opt_outs_received_during_a_store_outage_are_spooled_and_applied_when_it_returns()
    {
        var flaky = new FlakyStore(_store) { Down = true };
        await using var spool = new SpoolWriter(SpoolDir, flaky) { ShipInterval = TimeSpan.FromMilliseconds(20) };
        await spool.RecordOptOutsAsync([new OptOutChange("usr_1", true, DateTimeOffset.UtcNow)], Ct);
        await spool.WriteAsync(Batch(5, "after-optout"));
        await Task.Delay(200, Ct);
        Assert.Empty(await _store.ReadOptedOutAsync(Ct));

        flaky.Down = false;
        Assert.True(await spool.DrainAsync(TimeSpan.FromSeconds(40)));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await _store.ReadOptedOutAsync(Ct)).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
        Assert.Equal(["usr_1"], await _store.ReadOptedOutAsync(Ct));
    }

    /// <summary>A real store that can be switched off, as a network partition or a stopped server would.</summary>
    private sealed class FlakyStore(IEventStore inner) : IEventStore
    {
        public volatile bool Down;
        public int Failures;

        public Task<WriteResult> WriteAsync(WriteBatch batch, CancellationToken ct = default)
        {
            if (Down)
            {
                Interlocked.Increment(ref Failures);
                throw new IOException("store unavailable");
            }
            return inner.WriteAsync(batch, ct);
        }

        public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);
        public Task<bool> ContainsEventAsync(string eventId, CancellationToken ct = default) => inner.ContainsEventAsync(eventId, ct);
        public IAsyncEnumerable<CollectedEvent> ReadEventsAsync(EventQuery query, CancellationToken ct = default) => inner.ReadEventsAsync(query, ct);
        public Task<long> CountEventsAsync(EventQuery query, CancellationToken ct = default) => inner.CountEventsAsync(query, ct);
        public Task<IReadOnlyList<QuarantineGroup>> QuarantineByReasonAsync(int samplePerGroup, CancellationToken ct = default) => inner.QuarantineByReasonAsync(samplePerGroup, ct);
        public IAsyncEnumerable<QuarantinedEvent> ReadQuarantineAsync(CancellationToken ct = default) => inner.ReadQuarantineAsync(ct);
        public Task<int> RemoveFromQuarantineAsync(IReadOnlyList<string> ids, CancellationToken ct = default) => inner.RemoveFromQuarantineAsync(ids, ct);
        public Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupQuery query, CancellationToken ct = default) => inner.ReadRollupsAsync(query, ct);
        public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken ct = default) => inner.ReadIdentityLinksAsync(ct);
        public Task SetOptOutAsync(string actorId, bool optedOut, DateTimeOffset at, CancellationToken ct = default)
        {
            if (Down) throw new IOException("store unavailable");
            return inner.SetOptOutAsync(actorId, optedOut, at, ct);
        }
        public Task<IReadOnlyList<string>> ReadOptedOutAsync(CancellationToken ct = default) => inner.ReadOptedOutAsync(ct);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
