using System.Diagnostics;
using Tally.EndToEnd.Tests.Process;

namespace Tally.EndToEnd.Tests.ClickHouse;

/// <summary>
/// Aurora's plan (seed 000) promises delivery to the warehouse within 5 minutes. With ClickHouse as the store the
/// collector acknowledges from its spool, so the promise rests on the shipper: with its default interval, every
/// acknowledged event must be queryable in ClickHouse well inside that, and the freshness gauge must say so too.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DeliveryTests
{
    private static readonly TimeSpan Sla = TimeSpan.FromMinutes(5);
    private const int Batches = 40;
    private const int EventsPerBatch = 20;
    private static readonly TimeSpan PostEvery = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Acknowledged_events_are_queryable_in_ClickHouse_well_within_five_minutes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var collector = await ClickHouseCollector.StartAsync("delivery", ct);
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var acknowledgedAt = new TimeSpan?[Batches];
        var queryableAt = new TimeSpan?[Batches];
        var maxFreshness = 0.0;

        // A watcher asks ClickHouse which batches are complete, as an analyst's query would see them, and scrapes the gauge.
        using var posted = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (clock.Elapsed < Sla && (!posted.IsCancellationRequested || queryableAt.Any(t => t is null)))
            {
                var lines = await collector.ClickHouse.LinesAsync(
                    $"SELECT substring(event_id, 1, {run.Length + 5}) AS batch, count() FROM events WHERE startsWith(event_id, '{run}-') GROUP BY batch",
                    ClickHouseCollector.Database, ct);
                var now = clock.Elapsed;
                foreach (var fields in lines.Select(l => l.Split('\t')))
                {
                    var b = int.Parse(fields[0][(run.Length + 2)..]);
                    if (queryableAt[b] is null && long.Parse(fields[1]) == EventsPerBatch) queryableAt[b] = now;
                }
                maxFreshness = Math.Max(maxFreshness, (await collector.ScrapeAsync(ct))["analytics_data_freshness_seconds"]);
                await Task.Delay(50, ct);
            }
        }, ct);

        for (var b = 0; b < Batches; b++)
        {
            var batch = SegmentBatch.Create($"{run}-b{b:D3}", EventsPerBatch, DateTimeOffset.UtcNow);
            var (ok, outcome) = await collector.PostAsync(batch, ct);
            Assert.True(ok, $"batch {b} was not acknowledged: {outcome}\n{collector.Diagnostics()}");
            acknowledgedAt[b] = clock.Elapsed;
            await Task.Delay(PostEvery, ct);
        }
        await posted.CancelAsync();
        await watcher;

        var missing = Enumerable.Range(0, Batches).Where(b => queryableAt[b] is null).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged batches were not queryable within {Sla.TotalMinutes} minutes\n{collector.Diagnostics()}");
        // Seen in ClickHouse before the acknowledgement reached the client can happen (the shipper is fast): count it as no delay.
        var delays = Enumerable.Range(0, Batches).Select(b => Math.Max(0, (queryableAt[b]!.Value - acknowledgedAt[b]!.Value).TotalSeconds)).Order().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"acknowledged to queryable in ClickHouse, {Batches} batches of {EventsPerBatch}: median {delays[Batches / 2]:F2} s, " +
            $"p95 {delays[(int)(Batches * 0.95)]:F2} s, max {delays[^1]:F2} s (polled every 50 ms); max analytics_data_freshness_seconds {maxFreshness:F2} s");
        Assert.True(delays[^1] < Sla.TotalSeconds, $"the slowest batch took {delays[^1]:F1} s");
        Assert.True(maxFreshness < Sla.TotalSeconds, $"the freshness gauge reached {maxFreshness:F1} s");
        // Once everything is shipped, the gauge is back to zero: it measures what waits, not what once waited.
        // (The shipper marks a batch shipped just after ClickHouse has it, so the gauge may lag the query by a moment.)
        var settle = Stopwatch.StartNew();
        while ((await collector.ScrapeAsync(ct))["analytics_data_freshness_seconds"] != 0 && settle.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50, ct);
        Assert.Equal(0, (await collector.ScrapeAsync(ct))["analytics_data_freshness_seconds"]);
    }
}
