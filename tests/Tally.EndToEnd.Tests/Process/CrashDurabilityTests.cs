using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tally.Server.Ingestion;

namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// The collector's promise is "a 2xx means durably stored". These tests hold the real binary to it: clients post
/// under load, the process is SIGKILLed mid-load (no shutdown hook, no flush), and the data directory is then
/// read by a fresh store and served by a restarted process.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CrashDurabilityTests
{
    private const string EventName = "aurora_widget_open";
    private const int Loops = 4;
    private const int EventsPerBatch = 25;
    // Bounds on the load: it normally ends at the kill, long before either is reached.
    private const int MaxBatchesPerLoop = 1_000;
    private static readonly TimeSpan MaxLoad = TimeSpan.FromSeconds(20);
    // Kill once this many batches were acknowledged, while every loop still has a request in flight or about to be.
    private const int KillAfterAcknowledged = 60;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Attempt(SegmentBatch Batch, bool Acknowledged, string Outcome);

    [Fact]
    public async Task Every_acknowledged_event_survives_SIGKILL_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TallyProcess.StartAsync(ct: ct);
        var run = Guid.NewGuid().ToString("N")[..8];

        // 1. Load, then SIGKILL while the loops are still posting.
        var attempts = new ConcurrentQueue<Attempt>();
        var acknowledged = 0;
        var loops = new List<Task>();
        using (var client = server.CreateWriteClient(TimeSpan.FromSeconds(10)))
        {
            var load = Stopwatch.StartNew();
            for (var loop = 0; loop < Loops; loop++)
            {
                var l = loop;
                loops.Add(Task.Run(async () =>
                {
                    for (var seq = 0; seq < MaxBatchesPerLoop && load.Elapsed < MaxLoad; seq++)
                    {
                        var batch = SegmentBatch.Create($"{run}-{l}-{seq:D4}", EventsPerBatch, DateTimeOffset.UtcNow);
                        var (ok, outcome) = await PostAsync(client, batch, CancellationToken.None);
                        attempts.Enqueue(new Attempt(batch, ok, outcome));
                        if (!ok) return; // The server is gone: this loop's client gives up until it comes back.
                        Interlocked.Increment(ref acknowledged);
                    }
                }, ct));
            }

            while (Volatile.Read(ref acknowledged) < KillAfterAcknowledged && load.Elapsed < MaxLoad && loops.Any(t => !t.IsCompleted))
                await Task.Delay(5, ct);
            server.Kill();
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30), ct);
        }

        var all = attempts.ToList();
        var acked = all.Where(a => a.Acknowledged).ToList();
        var unacked = all.Where(a => !a.Acknowledged).ToList();
        Assert.True(acked.Count >= KillAfterAcknowledged, $"only {acked.Count} batches were acknowledged before the kill:\n{server.Output}");
        // Every loop was stopped by the crash, not by its bounds, and only by a dead connection: a 5xx before the
        // kill would be a server bug, not the crash under test.
        Assert.Equal(Loops, unacked.Count);
        Assert.All(unacked, a => Assert.StartsWith("connection:", a.Outcome));

        var sentIds = all.SelectMany(a => a.Batch.MessageIds).ToHashSet();
        var ackedIds = acked.SelectMany(a => a.Batch.MessageIds).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"killed after {acked.Count} acknowledged batches ({ackedIds.Count} events); {unacked.Count} cut off");

        // 2. Straight after the crash, before any restart: every acknowledged event is on disk, once.
        var afterCrash = await StoreSnapshot.ReadAsync(server.DatabasePath, EventName, ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"after the crash the store holds {afterCrash.Events.Count} of {sentIds.Count} sent events");
        Assert.Empty(afterCrash.DuplicatedIds);
        var missing = ackedIds.Where(id => !afterCrash.Ids.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {ackedIds.Count} acknowledged events were lost by the crash, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.DoesNotContain(afterCrash.Ids, id => !sentIds.Contains(id));
        // Whatever a commit interrupted by the kill held is either all there or not there at all: rows and the
        // roll-up were written in one transaction, so they agree.
        Assert.Equal(afterCrash.Events.Count, afterCrash.RollupTotal);
        Assert.All(afterCrash.Events, e => Assert.Equal(SegmentBatch.RequestIdOf(e.EventId), RequestIdProperty(e.PropertiesJson)));

        // 3. Restart on the same data directory; clients retry. Acknowledged batches are all duplicates now.
        await server.RestartAsync(ct);
        using (var client = server.CreateWriteClient())
        {
            foreach (var result in await ResendAsync(client, acked.Select(a => a.Batch), ct))
            {
                Assert.Equal(0, result.Accepted);
                Assert.Equal(EventsPerBatch, result.Duplicates);
            }
            // The batches cut off by the kill may or may not have been committed; a retry stores exactly what was missing.
            var retried = await ResendAsync(client, unacked.Select(a => a.Batch), ct);
            Assert.All(retried, r => Assert.Equal(EventsPerBatch, r.Accepted + r.Duplicates));
            Assert.Equal(sentIds.Count - afterCrash.Events.Count, retried.Sum(r => r.Accepted));
            // And a second round of retries of everything changes nothing.
            foreach (var result in await ResendAsync(client, all.Select(a => a.Batch), ct))
            {
                Assert.Equal(0, result.Accepted);
                Assert.Equal(EventsPerBatch, result.Duplicates);
            }
        }

        // 4. Kill again and read the file: every event sent is there exactly once, and counted once.
        server.Kill();
        var final = await StoreSnapshot.ReadAsync(server.DatabasePath, EventName, ct);
        Assert.Empty(final.DuplicatedIds);
        Assert.Equal(sentIds.Count, final.Events.Count);
        Assert.True(sentIds.SetEquals(final.Ids));
        Assert.Equal(final.Events.Count, final.RollupTotal);
    }

    /// <summary>One POST; "acknowledged" only for a 2xx whose body says it was stored, as a Segment SDK would see it.</summary>
    private static async Task<(bool Acknowledged, string Outcome)> PostAsync(HttpClient client, SegmentBatch batch, CancellationToken ct)
    {
        try
        {
            using var content = new StringContent(batch.Json, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/v1/batch", content, ct);
            if (!response.IsSuccessStatusCode) return (false, $"http:{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            var result = await response.Content.ReadFromJsonAsync<IngestResult>(Web, ct);
            return result is { Success: true } && result.Accepted + result.Duplicates == batch.MessageIds.Count
                ? (true, "stored")
                : (false, $"body:{JsonSerializer.Serialize(result, Web)}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return (false, $"connection:{e.GetType().Name}");
        }
    }

    private static async Task<IReadOnlyList<IngestResult>> ResendAsync(HttpClient client, IEnumerable<SegmentBatch> batches, CancellationToken ct)
    {
        var results = new ConcurrentBag<IngestResult>();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Loops, CancellationToken = ct }, async (batch, token) =>
        {
            using var content = new StringContent(batch.Json, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/v1/batch", content, token);
            var body = await response.Content.ReadAsStringAsync(token);
            Assert.True(response.IsSuccessStatusCode, $"a retry after the restart was refused: {(int)response.StatusCode} {body}");
            results.Add(JsonSerializer.Deserialize<IngestResult>(body, Web)!);
        });
        return results.ToList();
    }

    private static string? RequestIdProperty(string propertiesJson)
    {
        using var doc = JsonDocument.Parse(propertiesJson);
        return doc.RootElement.TryGetProperty("requestId", out var r) ? r.GetString() : null;
    }
}
