using System.Collections.Concurrent;
using System.Diagnostics;
using Tally.EndToEnd.Tests.Process;

namespace Tally.EndToEnd.Tests.ClickHouse;

/// <summary>
/// With ClickHouse behind it, the collector acknowledges from its local spool, so ClickHouse going away must not
/// cost a client anything: posts keep getting 2xx while it is down, and once it is back every acknowledged event is
/// in it exactly once. The real binary and a real server, stopped and restarted on the same data mid-stream.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OutageTests
{
    private const int Loops = 2;
    private const int EventsPerBatch = 20;
    private static readonly TimeSpan PostEvery = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);
    // Bounds on the load: the phases below end it long before either is reached.
    private const int MaxBatchesPerLoop = 3_000;
    private const int MinBatchesPerPhase = 20;
    private static readonly TimeSpan MaxLoad = TimeSpan.FromSeconds(60);

    private enum Phase { Before, During, After }

    private sealed record Attempt(Phase Phase, SegmentBatch Batch, bool Acknowledged, string Outcome);

    [Theory]
    [InlineData("SIGTERM")]
    [InlineData("SIGKILL")]
    public async Task Events_acknowledged_while_ClickHouse_is_down_reach_it_exactly_once_when_it_is_back(string stop)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var collector = await ClickHouseCollector.StartAsync("outage", ct);
        var run = Guid.NewGuid().ToString("N")[..8];
        var phase = (int)Phase.Before;
        var attempts = new ConcurrentQueue<Attempt>();
        using var stopLoad = new CancellationTokenSource();
        var load = Stopwatch.StartNew();

        // Clients post continuously, each batch tagged with the phase it was sent in.
        var loops = Enumerable.Range(0, Loops).Select(l => Task.Run(async () =>
        {
            for (var seq = 0; seq < MaxBatchesPerLoop && load.Elapsed < MaxLoad && !stopLoad.IsCancellationRequested; seq++)
            {
                var sentIn = (Phase)Volatile.Read(ref phase);
                var batch = SegmentBatch.Create($"{run}-{sentIn}-{l}-{seq:D4}", EventsPerBatch, DateTimeOffset.UtcNow);
                var (ok, outcome) = await collector.PostAsync(batch, CancellationToken.None);
                attempts.Enqueue(new Attempt(sentIn, batch, ok, outcome));
                await Task.Delay(PostEvery, CancellationToken.None);
            }
        }, ct)).ToList();

        try
        {
            // 1. Shipping works: some of the first events are in ClickHouse before it is stopped.
            await WaitUntilAsync(async () => attempts.Count >= MinBatchesPerPhase && (await collector.StoredIdsAsync(run, ct)).Count > 0,
                TimeSpan.FromSeconds(20), "nothing reached ClickHouse before the outage", collector, ct);
            output?.WriteLine($"{attempts.Count} batches posted and some shipped after {load.Elapsed.TotalSeconds:F1} s");

            // 2. Stop ClickHouse mid-stream and keep posting.
            if (stop == "SIGKILL") collector.ClickHouse.Kill();
            else await collector.ClickHouse.TerminateAsync(ct);
            Volatile.Write(ref phase, (int)Phase.During);
            var down = Stopwatch.StartNew();
            await Task.Delay(Outage, ct);
            var during = await collector.ScrapeAsync(ct);
            var downFor = down.Elapsed;
            output?.WriteLine($"after {downFor.TotalSeconds:F1} s without ClickHouse: spool depth {during["analytics_spool_depth"]}, " +
                              $"freshness {during["analytics_data_freshness_seconds"]:F1} s, ship failures {during["analytics_spool_ship_failures"]}");
            // The gauges tell an operator what is going on: events wait in the spool, and they have waited about as long as the outage.
            Assert.True(during["analytics_spool_depth"] > 0, during.Text);
            Assert.True(during["analytics_data_freshness_seconds"] >= Outage.TotalSeconds / 2, during.Text);
            Assert.True(during["analytics_spool_ship_failures"] > 0, during.Text);

            // 3. Restart it on the same data, post a little longer, then stop the clients.
            await collector.ClickHouse.StartAsync(ct);
            Volatile.Write(ref phase, (int)Phase.After);
            await WaitUntilAsync(() => Task.FromResult(attempts.Count(a => a.Phase == Phase.After) >= MinBatchesPerPhase), TimeSpan.FromSeconds(10),
                "clients could not post after the restart", collector, ct);
        }
        finally
        {
            await stopLoad.CancelAsync();
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30), ct);
        }

        // Every post got a 2xx: the collector never made a client wait for ClickHouse or fail because of it.
        var all = attempts.ToList();
        var refused = all.Where(a => !a.Acknowledged).ToList();
        Assert.True(refused.Count == 0, $"{refused.Count} posts were not acknowledged, e.g. {refused.FirstOrDefault()?.Outcome}\n{collector.Diagnostics()}");
        foreach (var p in Enum.GetValues<Phase>())
            Assert.True(all.Count(a => a.Phase == p) >= MinBatchesPerPhase, $"only {all.Count(a => a.Phase == p)} batches were posted {p} the outage");

        // 4. The spool drains once ClickHouse is back.
        var drain = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await collector.ScrapeAsync(ct))["analytics_spool_depth"] == 0, TimeSpan.FromSeconds(60), "the spool did not drain", collector, ct);
        output?.WriteLine($"spool drained {drain.Elapsed.TotalSeconds:F1} s after the clients stopped; {all.Count} batches of {EventsPerBatch} posted in {load.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, (await collector.ScrapeAsync(ct))["analytics_data_freshness_seconds"]);

        // 5. Every acknowledged event is in ClickHouse exactly once, whichever side of the outage it was sent on.
        foreach (var p in Enum.GetValues<Phase>())
        {
            var acked = all.Where(a => a.Phase == p).Sum(a => a.Batch.MessageIds.Count);
            var line = (await collector.ClickHouse.LinesAsync(
                $"SELECT count(), uniqExact(event_id) FROM events WHERE startsWith(event_id, '{run}-{p}-')", ClickHouseCollector.Database, ct)).Single().Split('\t');
            output?.WriteLine($"{p}: {acked} acknowledged, ClickHouse has {line[0]} rows of {line[1]} ids");
            Assert.Equal([acked.ToString(), acked.ToString()], line);
        }

        var stored = await collector.StoredIdsAsync(run, ct);
        var ackedIds = all.SelectMany(a => a.Batch.MessageIds).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(stored, s => s.Value != 1);
        Assert.True(ackedIds.SetEquals(stored.Keys), $"{ackedIds.Except(stored.Keys).Count()} acknowledged ids missing, {stored.Keys.Except(ackedIds).Count()} unknown ids stored");
        // The roll-up and the id index, fed by the same inserts, agree with the rows.
        Assert.Equal([ackedIds.Count.ToString()], await collector.ClickHouse.LinesAsync("SELECT sum(count) FROM rollups_daily WHERE name = 'aurora_widget_open'", ClickHouseCollector.Database, ct));
        Assert.Equal([ackedIds.Count.ToString()], await collector.ClickHouse.LinesAsync("SELECT count() FROM seen_ids", ClickHouseCollector.Database, ct));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure, ClickHouseCollector collector, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout) Assert.Fail($"{failure} within {timeout.TotalSeconds} s\n{collector.Diagnostics()}");
            await Task.Delay(100, ct);
        }
    }
}
