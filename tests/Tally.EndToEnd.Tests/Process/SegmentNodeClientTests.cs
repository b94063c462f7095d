using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// Tally claims Segment compatibility; this is checked with Segment's own Node SDK (pinned 3.1.0), not with
/// requests shaped by hand: batching, HTTP Basic auth, the body's writeKey and sentAt, retries on 5xx.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SegmentNodeClientTests
{
    private const int Count = 50;

    [Fact]
    public async Task Events_sent_with_the_Segment_Node_SDK_are_all_stored_with_their_properties_and_messageIds()
    {
        var ct = TestContext.Current.CancellationToken;
        NodeClient.EnsureInstalled();
        await using var server = await TallyProcess.StartAsync(ct: ct);
        var runId = "node-" + Guid.NewGuid().ToString("N")[..8];

        var run = await NodeClient.SendAsync(server.BaseAddress, server.WriteKey, Count, runId, TimeSpan.FromSeconds(60), ct);

        Assert.True(run.ExitCode == 0, $"node send.mjs exited {run.ExitCode}\nstdout: {run.Stdout}\nstderr: {run.Stderr}\nserver:\n{server.Output}");
        var summary = JsonDocument.Parse(run.Stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(0, summary.GetProperty("errors").GetArrayLength());
        var sent = summary.GetProperty("tracks").EnumerateArray().Select(t => new
        {
            MessageId = t.GetProperty("messageId").GetString()!,
            Properties = t.GetProperty("properties"),
        }).ToList();
        Assert.Equal(Count, sent.Count);
        Assert.Equal(Count, sent.Select(s => s.MessageId).Distinct().Count());
        // flushAt 20: the SDK really batched, rather than sending one request per call.
        Assert.InRange(summary.GetProperty("requests").GetInt32(), 3, 10);

        await using var store = await SqliteEventStore.OpenAsync(server.DatabasePath, ct);
        var stored = new Dictionary<string, CollectedEvent>();
        await foreach (var e in store.ReadEventsAsync(new EventQuery("aurora_widget_open"), ct)) stored.Add(e.EventId, e);

        Assert.Equal(Count, stored.Count);
        foreach (var s in sent)
        {
            // The SDK's messageId is the stored event id, so an SDK retry of the same batch is recognised as a duplicate.
            Assert.True(stored.TryGetValue(s.MessageId, out var e), $"messageId {s.MessageId} was not stored under its own id");
            using var properties = JsonDocument.Parse(e.PropertiesJson);
            foreach (var name in new[] { "sessionId", "requestId", "source" })
                Assert.Equal(s.Properties.GetProperty(name).GetString(), properties.RootElement.GetProperty(name).GetString());
            Assert.Equal(s.Properties.GetProperty("sessionId").GetString(), e.SessionId);
            Assert.Equal("production", e.Environment);
        }

        var identify = summary.GetProperty("identify").GetProperty("messageId").GetString()!;
        Assert.True(await store.ContainsEventAsync(identify, ct), $"the identify call {identify} was acknowledged but not stored");
    }
}
