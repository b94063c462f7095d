using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Privacy;
using Tally.Core.Storage;
using Tally.Server.Writing;
using Tally.Storage.Sqlite;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>
/// The collector's group commit keeps two writes in flight on SQLite (the next commits while the last is flushed):
/// every request must still get its own outcomes, and an id sent by two requests in different groups is stored once.
/// </summary>
public sealed class GroupCommitOverlapTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_outcomes_and_every_id_is_stored_once()
    {
        var path = _directory.File("tally.db");
        var shared = Enumerable.Range(0, 40).Select(_ => Some.Event()).ToList();
        var requests = Enumerable.Range(0, 64).Select(r => Enumerable.Range(0, 25)
            .Select(i => i % 5 == 0 ? shared[(r * 7 + i) % shared.Count] : Some.Event()).ToList()).ToList();

        List<WriteResult> results;
        await using (var store = await SqliteEventStore.OpenAsync(path, Ct))
        {
            var guarded = new SuppressingEventStore(store, new SuppressionList(new PropertyHasher("group-commit-test"u8.ToArray())));
            Assert.Equal(2, guarded.WriteOverlap);
            await using var writer = new GroupCommitWriter(guarded);
            results = [.. await Task.WhenAll(requests.Select(r => Task.Run(() => writer.WriteAsync(new WriteBatch(r, [], [])), Ct)))];
        }

        // Each shared id is stored by exactly one request; every other copy is reported a duplicate.
        var storedIds = new List<string>();
        for (var r = 0; r < requests.Count; r++)
        {
            Assert.Equal(requests[r].Count, results[r].Events.Count);
            for (var i = 0; i < requests[r].Count; i++)
                if (results[r].Events[i] == WriteOutcome.Stored) storedIds.Add(requests[r][i].EventId);
        }
        var distinct = requests.SelectMany(r => r).Select(e => e.EventId).Distinct().ToList();
        Assert.Equal(distinct.Order(), storedIds.Order());

        await using var reopened = await SqliteEventStore.OpenAsync(path, Ct);
        Assert.Equal(distinct.Count, await reopened.CountEventsAsync(new EventQuery(), Ct));
    }
}
