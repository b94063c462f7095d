using Microsoft.Data.Sqlite;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Sqlite.Dedup;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>
/// Deduplication by in-memory fingerprints over append-only tables (migration 003) must stay exact: across two
/// writers on one file (a server and <c>tally ingest</c>), across a rolled-back batch, and for data written before 003.
/// </summary>
public sealed class AppendOnlyDeduplicationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _directory.File("tally.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_event_written_by_another_store_on_the_same_file_is_a_duplicate_here()
    {
        await using var server = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        await using var ingest = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var raw = Some.Event();
        var counted = Some.Event() with { AggregateOnly = true };

        // Both stores loaded their known ids before these writes; the second must still see them.
        Assert.Equal([WriteOutcome.Stored, WriteOutcome.Counted], (await ingest.WriteAsync(new WriteBatch([raw, counted], [], []), Ct)).Events);
        Assert.Equal([WriteOutcome.Duplicate, WriteOutcome.Duplicate], (await server.WriteAsync(new WriteBatch([raw, counted], [], []), Ct)).Events);
        Assert.Equal([WriteOutcome.Duplicate], (await ingest.WriteAsync(WriteBatch.Of(raw), Ct)).Events);
        Assert.Equal(1, await server.CountEventsAsync(new EventQuery(), Ct));
        Assert.Equal(2, (await server.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
    }

    [Fact]
    public async Task Interleaved_writers_on_one_file_each_store_every_id_once()
    {
        await using var a = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        await using var b = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var events = Some.Events(200);

        // Each writer sends every event twice, in overlapping batches, alternating with the other.
        var stored = 0;
        for (var i = 0; i < events.Count; i += 10)
        {
            var chunk = events.Skip(i).Take(20).ToList();
            foreach (var store in new[] { a, b })
            {
                stored += (await store.WriteAsync(new WriteBatch(chunk, [], []), Ct)).Events.Count(o => o == WriteOutcome.Stored);
            }
        }

        Assert.Equal(events.Count, stored);
        Assert.Equal(events.Count, await a.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task A_batch_that_was_not_committed_leaves_its_ids_unknown()
    {
        await using var store = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var e = Some.Event();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync(WriteBatch.Of(e), cancelled.Token));

        Assert.Equal([WriteOutcome.Stored], (await store.WriteAsync(WriteBatch.Of(e), Ct)).Events);
    }

    [Fact]
    public async Task A_batch_that_fails_after_its_ids_were_taken_leaves_them_unknown()
    {
        await using var store = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var good = Some.Events(40);
        // A row the table refuses (name is NOT NULL), after every id of the batch was taken: the batch rolls back.
        var broken = Some.Event() with { Name = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(new WriteBatch([.. good, broken], [], []), Ct));

        var retry = await store.WriteAsync(new WriteBatch([.. good, broken with { Name = "page_viewed" }], [], []), Ct);
        Assert.All(retry.Events, o => Assert.Equal(WriteOutcome.Stored, o));
        Assert.Equal(good.Count + 1, await store.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task Fingerprints_the_caller_computed_deduplicate_like_the_stores_own()
    {
        await using var store = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var first = Some.Events(3);
        var second = Some.Events(2);
        UInt128[] Of(IEnumerable<Tally.Core.Events.CollectedEvent> events) => [.. events.Select(e => EventIdFingerprint.Of(e.EventId))];

        Assert.All((await store.WriteAsync(new WriteBatch(first, [], [], Of(first)), Ct)).Events, o => Assert.Equal(WriteOutcome.Stored, o));
        Assert.All((await store.WriteAsync(new WriteBatch(first, [], []), Ct)).Events, o => Assert.Equal(WriteOutcome.Duplicate, o));
        Assert.All((await store.WriteAsync(new WriteBatch(second, [], []), Ct)).Events, o => Assert.Equal(WriteOutcome.Stored, o));
        Assert.All((await store.WriteAsync(new WriteBatch(second, [], [], Of(second)), Ct)).Events, o => Assert.Equal(WriteOutcome.Duplicate, o));

        // The store takes the given fingerprints as they are: a new event given a stored event's fingerprint is a duplicate.
        var fresh = Some.Event();
        Assert.Equal([WriteOutcome.Duplicate], (await store.WriteAsync(new WriteBatch([fresh], [], [], Of([first[0]])), Ct)).Events);
        Assert.Equal([WriteOutcome.Stored], (await store.WriteAsync(WriteBatch.Of(fresh), Ct)).Events);
    }

    [Fact]
    public async Task Ids_in_any_script_stay_known_after_the_store_is_opened_again()
    {
        // Opening a store hashes each stored id's UTF-8 bytes as SQLite holds them; the collector hashes the .NET
        // string. Both must agree, or every retry after a restart would be stored twice.
        var ids = new[] { "plain-ascii", "évènement-ü", "注文-番号", "emoji-😀-pair", "" };
        var events = ids.Select(id => Some.Event() with { EventId = id }).ToList();
        await using (var first = await SqliteEventStore.OpenAsync(DatabasePath, Ct))
        {
            Assert.All((await first.WriteAsync(new WriteBatch(events, [], []), Ct)).Events, o => Assert.Equal(WriteOutcome.Stored, o));
        }

        await using var reopened = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var given = events.Select(e => EventIdFingerprint.Of(e.EventId)).ToList();

        Assert.All((await reopened.WriteAsync(new WriteBatch(events, [], [], given), Ct)).Events, o => Assert.Equal(WriteOutcome.Duplicate, o));
        Assert.All((await reopened.WriteAsync(new WriteBatch(events, [], []), Ct)).Events, o => Assert.Equal(WriteOutcome.Duplicate, o));
        Assert.Equal(ids.Length, await reopened.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task The_same_id_twice_in_one_batch_is_stored_once()
    {
        await using var store = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var e = Some.Event();

        var result = await store.WriteAsync(new WriteBatch([e, e with { Name = "other" }], [], []), Ct);

        Assert.Equal([WriteOutcome.Stored, WriteOutcome.Duplicate], result.Events);
    }

    [Fact]
    public async Task Events_stored_before_migration_003_are_kept_and_still_deduplicate()
    {
        // A file at schema version 2, with one raw event and one counted aggregate-only id, as the old store left it.
        await using (var old = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
                {Script(1)}
                {Script(2)}
                INSERT INTO schema_version VALUES (1, 'initial', 0), (2, 'lean_event_indexes', 0);
                INSERT INTO events (event_id, name, type, ts, received_at, environment, count, properties)
                VALUES ('old-raw', 'page_viewed', 'track', 1000, 1000, 'production', 1, '{"{}"}');
                INSERT INTO seen_ids (event_id, received_at) VALUES ('old-counted', 1000);
                """;
            command.ExecuteNonQuery();
        }

        await using var store = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var kept = Assert.Single(await store.ReadEventsAsync(new EventQuery(), Ct).ToListAsync(Ct));
        var retry = kept with { };
        var counted = Some.Event() with { EventId = "old-counted", AggregateOnly = true };
        var fresh = Some.Event();

        var result = await store.WriteAsync(new WriteBatch([retry, counted, fresh], [], []), Ct);

        Assert.Equal("old-raw", kept.EventId);
        Assert.Equal("page_viewed", kept.Name);
        Assert.Equal([WriteOutcome.Duplicate, WriteOutcome.Duplicate, WriteOutcome.Stored], result.Events);
        Assert.True(await store.ContainsEventAsync("old-counted", Ct));
    }

    [Fact]
    public void The_fingerprint_set_keeps_every_member_as_it_grows()
    {
        var set = new FingerprintSet(capacity: 1);
        var ids = Enumerable.Range(0, 50_000).Select(i => EventIdFingerprint.Of($"evt-{i}")).ToList();

        Assert.All(ids, id => Assert.True(set.Add(id)));

        Assert.Equal(ids.Count, set.Count);
        Assert.All(ids, id => Assert.True(set.Contains(id)));
        Assert.All(ids, id => Assert.False(set.Add(id)));
        Assert.False(set.Contains(EventIdFingerprint.Of("evt-50000")));
    }

    [Fact]
    public void Removing_fingerprints_keeps_every_other_member_reachable()
    {
        // Fingerprints that share their low bits pile up in runs and wrap around the end of the table: the cases
        // where shifting entries back into a hole can go wrong.
        var random = new Random(3);
        var set = new FingerprintSet(capacity: 48);
        var reference = new HashSet<UInt128>();
        for (var round = 0; round < 2_000; round++)
        {
            var fingerprint = new UInt128((ulong)random.NextInt64(1, long.MaxValue), (ulong)random.Next(56, 72));
            if (random.Next(3) == 0 && reference.Count > 0)
            {
                var victim = reference.ElementAt(random.Next(reference.Count));
                Assert.True(set.Remove(victim));
                reference.Remove(victim);
            }
            else if (reference.Count < 48)
            {
                Assert.Equal(reference.Add(fingerprint), set.Add(fingerprint));
            }

            Assert.False(set.Remove(new UInt128(0, 1) + fingerprint));
            Assert.Equal(reference.Count, set.Count);
            Assert.All(reference, member => Assert.True(set.Contains(member)));
        }
    }

    [Fact]
    public void Members_stay_known_and_removable_while_the_set_moves_them_to_a_larger_table()
    {
        // Adds, repeated adds and rollbacks of the latest adds, checked against a HashSet at every step, across many
        // doublings, so that some of each happen while a grown table is still being filled from the old one.
        var random = new Random(7);
        var set = new FingerprintSet(capacity: 1);
        var reference = new HashSet<UInt128>();
        var recent = new List<UInt128>();
        var removed = new List<UInt128>();
        var removedWhileMoving = 0;
        var repeatsWhileMoving = 0;
        for (var round = 0; round < 80_000; round++)
        {
            var choice = random.Next(20);
            if (choice == 0 && recent.Count > 0)
            {
                // A rolled-back batch takes out the ids it had just added (a batch of up to 20, so some were added
                // before the table grew); they are unknown afterwards, and a retry adds them again.
                for (var n = random.Next(1, 20); n > 0 && recent.Count > 0; n--)
                {
                    var victim = recent[^1];
                    recent.RemoveAt(recent.Count - 1);
                    removedWhileMoving += set.Migrating ? 1 : 0;
                    Assert.True(set.Remove(victim));
                    reference.Remove(victim);
                    Assert.False(set.Contains(victim));
                    removed.Add(victim);
                }
            }
            else if (choice == 2 && removed.Count > 0)
            {
                var retried = removed[^1];
                removed.RemoveAt(removed.Count - 1);
                Assert.True(set.Add(retried));
                reference.Add(retried);
                recent.Add(retried);
            }
            else if (choice == 1 && reference.Count > 0)
            {
                var member = reference.ElementAt(random.Next(Math.Min(reference.Count, 64)));
                repeatsWhileMoving += set.Migrating ? 1 : 0;
                Assert.False(set.Add(member));
            }
            else
            {
                var fingerprint = new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64() | 1);
                Assert.Equal(reference.Add(fingerprint), set.Add(fingerprint));
                recent.Add(fingerprint);
            }

            Assert.Equal(reference.Count, set.Count);
            if (round % 997 == 0)
            {
                Assert.All(reference, member => Assert.True(set.Contains(member)));
            }
        }

        Assert.All(reference, member => Assert.True(set.Contains(member)));
        Assert.True(removedWhileMoving > 0 && repeatsWhileMoving > 0, $"{removedWhileMoving} removals and {repeatsWhileMoving} repeats during a move");
    }

    [Fact]
    public void Fingerprints_depend_on_every_character_of_the_id()
    {
        Assert.Equal(EventIdFingerprint.Of("abc"), EventIdFingerprint.Of("abc"));
        Assert.NotEqual(EventIdFingerprint.Of("abc"), EventIdFingerprint.Of("abd"));
        Assert.NotEqual(EventIdFingerprint.Of(new string('x', 300)), EventIdFingerprint.Of(new string('x', 299) + "y"));
    }

    private static string Script(int version) =>
        SchemaScript.Embedded(typeof(SqliteEventStore).Assembly, "Tally.Storage.Sqlite.Schema.").Single(s => s.Version == version).Text;

    /// <summary>The reference implementation's vectors: key 00..0f, messages 00, 00 01, 00 01 02, ….</summary>
    private static readonly ulong[] SipHash64Vectors =
    [
        0x726fdb47dd0e0e31, 0x74f839c593dc67fd, 0x0d6c8009d9a94f5a, 0x85676696d7fb7e2d,
        0xcf2794e0277187b7, 0x18765564cd99a68d, 0xcbc9466e58fee3ce, 0xab0200f58b01d137,
        0x93f5f5799a932462, 0x9e0082df0ba9e4b0, 0x7a5dbbc594ddb9f3, 0xf4b32f46226bada7,
        0x751e8fbc860ee5fb, 0x14ea5627c0843d90, 0xf723ca908e7af2ee, 0xa129ca6149be45e5,
        0x3f2acc7f57c29bdb, 0x699ae9f52cbe4794, 0x4bc1b3f0968dd39c, 0xbb6dc91da77961bd,
    ];

    [Fact]
    public void SipHash_matches_the_published_test_vectors()
    {
        const ulong k0 = 0x0706050403020100, k1 = 0x0f0e0d0c0b0a0908;
        var message = Enumerable.Range(0, SipHash64Vectors.Length).Select(i => (byte)i).ToArray();
        for (var length = 0; length < SipHash64Vectors.Length; length++)
        {
            Assert.Equal(SipHash64Vectors[length], SipHash.Hash64(message.AsSpan(0, length), k0, k1));
        }

        // The 128-bit mode's first vector (empty message): a3 81 7f 04 ba 25 a8 e6 6d f6 72 14 c7 55 02 93.
        var wide = SipHash.Hash128([], k0, k1);
        Assert.Equal(new UInt128(0x930255c71472f66d, 0xe6a825ba047f81a3), wide);
    }
}
