using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Privacy;
using Tally.Core.Storage;
using Tally.Server.Writing;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Spool;

/// <summary>
/// A batch acknowledged into the spool before a deletion and shipped after it: the rows of the deleted subject must not
/// reach the store, or the deletion would be undone by the collector's own backlog.
/// </summary>
public sealed class SuppressedSpoolTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tally-suppressed-spool-");
    private SqliteEventStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Not initialized yet: until it is, every ship fails and the batch waits in the spool, as during a store outage.
    public ValueTask InitializeAsync()
    {
        _store = new SqliteEventStore(Path.Combine(_dir.FullName, "tally.db"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private static CollectedEvent Event(string? anonymousId, string? userId, string sessionId) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        Name = "aurora_widget_open",
        Timestamp = DateTimeOffset.UtcNow,
        ReceivedAt = DateTimeOffset.UtcNow,
        AnonymousId = anonymousId,
        UserId = userId,
        SessionId = sessionId,
    };

    [Fact]
    public async Task Rows_of_a_subject_suppressed_after_their_batch_was_spooled_never_reach_the_store()
    {
        var suppressed = new SuppressionList(new PropertyHasher("spool-salt"u8.ToArray()));
        var dropped = 0;
        var guarded = new SuppressingEventStore(_store, suppressed, n => Interlocked.Add(ref dropped, n));
        var batch = new WriteBatch(
            [Event("anon-a", null, "s-a"), Event("anon-a", "user-a", "s-a"), Event(null, null, "s-a"), Event("anon-b", "user-b", "s-b")],
            [new QuarantinedEvent
            {
                Id = "q-a", EventId = "e-q-a", Reasons = [new Violation(ViolationCodes.UnknownEvent, "unknown")],
                PayloadJson = """{"event":"x","anonymousId":"anon-a","properties":{}}""", Source = "test", ReceivedAt = DateTimeOffset.UtcNow,
            }],
            [new IdentityLink("anon-a", "user-a", IdentityLink.Identify, DateTimeOffset.UtcNow), new IdentityLink("anon-b", "user-b", IdentityLink.Identify, DateTimeOffset.UtcNow)]);

        await using (var spool = new SpoolWriter(Path.Combine(_dir.FullName, "spool"), guarded) { ShipInterval = TimeSpan.FromMilliseconds(20) })
        {
            var acknowledged = await spool.WriteAsync(batch);
            Assert.All(acknowledged.Events, o => Assert.Equal(WriteOutcome.Spooled, o));

            // The deletion: anon-a, user-a and session s-a suppressed, while the batch still waits to be shipped.
            foreach (var id in new[] { "anon-a", "user-a", "s-a" }) suppressed.AddHash(suppressed.HashOf(id));
            await _store.InitializeAsync(Ct);
            Assert.True(await spool.DrainAsync(TimeSpan.FromSeconds(30)));
        }

        var stored = await _store.ReadEventsAsync(new EventQuery(), Ct).ToListAsync(Ct);
        Assert.Equal(["user-b"], stored.Select(e => e.UserId));
        Assert.Empty(await _store.ReadQuarantineAsync(Ct).ToListAsync(Ct));
        Assert.Equal([("anon-b", "user-b")], (await _store.ReadIdentityLinksAsync(Ct)).Select(l => (l.FromId, l.ToUserId)));
        Assert.Equal(4, dropped);
    }
}
