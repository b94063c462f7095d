using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IEventStore"/> promises, whatever is behind it. A backend's test class derives from this
/// and passes a factory; the tests use only the interface, so they run unchanged against SQLite and ClickHouse.
/// </summary>
public abstract class EventStoreContract(IEventStoreFactory factory) : IAsyncLifetime
{
    private readonly List<IEventStore> _opened = [];
    private IEventStore? _store;

    /// <summary>The fresh, empty store of this test.</summary>
    protected IEventStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    public async ValueTask InitializeAsync() => _store = Track(await factory.CreateAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Another store on the same storage, disposed with the test.</summary>
    protected async Task<IEventStore> ReopenAsync() => Track(await factory.ReopenAsync());

    private IEventStore Track(IEventStore store)
    {
        _opened.Add(store);
        return store;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<CollectedEvent>> ReadAllAsync(IEventStore? store = null, EventQuery? query = null) =>
        await (store ?? Store).ReadEventsAsync(query ?? new EventQuery(), Ct).ToListAsync(Ct);

    // ---- raw events -------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_new_store_is_empty()
    {
        Assert.Empty(await ReadAllAsync());
        Assert.Equal(0, await Store.CountEventsAsync(new EventQuery(), Ct));
        Assert.Empty(await Store.ReadRollupsAsync(new RollupQuery(), Ct));
        Assert.Empty(await Store.QuarantineByReasonAsync(5, Ct));
        Assert.Empty(await Store.ReadIdentityLinksAsync(Ct));
        Assert.Empty(await Store.ReadOptedOutAsync(Ct));
    }

    [Fact]
    public async Task Initializing_again_keeps_what_is_stored()
    {
        var e = Some.Event();
        await Store.WriteAsync(WriteBatch.Of(e), Ct);

        await Store.InitializeAsync(Ct);

        Assert.Equal([e], await ReadAllAsync());
    }

    [Fact]
    public async Task Stored_event_reads_back_with_every_field()
    {
        var full = Some.Event() with { Type = "alias", PreviousId = Some.Id("anon"), Count = 7, Environment = "staging" };
        var minimal = Some.MinimalEvent(at: full.Timestamp.AddMinutes(1));

        var result = await Store.WriteAsync(WriteBatch.Of(full, minimal), Ct);

        Assert.Equal([WriteOutcome.Stored, WriteOutcome.Stored], result.Events);
        Assert.Equal([full, minimal], await ReadAllAsync());
        Assert.Null((await ReadAllAsync())[1].Source);
    }

    [Fact]
    public async Task Duplicate_event_id_is_stored_once()
    {
        var e = Some.Event();
        await Store.WriteAsync(WriteBatch.Of(e), Ct);

        // A client retry: same id, even if the rest differs.
        var retry = await Store.WriteAsync(WriteBatch.Of(e with { Name = "something_else", Count = 5 }), Ct);

        Assert.Equal([WriteOutcome.Duplicate], retry.Events);
        Assert.Equal([e], await ReadAllAsync());
        var rollup = Assert.Single(await Store.ReadRollupsAsync(new RollupQuery(), Ct));
        Assert.Equal(1, rollup.Count);
        Assert.Equal(e.Name, rollup.Name);
    }

    [Fact]
    public async Task Same_id_twice_in_one_batch_is_one_event()
    {
        var e = Some.Event();

        var result = await Store.WriteAsync(WriteBatch.Of(e, e with { Count = 3 }), Ct);

        Assert.Equal([WriteOutcome.Stored, WriteOutcome.Duplicate], result.Events);
        Assert.Equal(1, await Store.CountEventsAsync(new EventQuery(), Ct));
        Assert.Equal(1, Assert.Single(await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Count);
    }

    [Fact]
    public async Task Outcomes_follow_the_order_of_the_batch()
    {
        var old = Some.Event();
        await Store.WriteAsync(WriteBatch.Of(old), Ct);
        var fresh = Some.Event();
        var counted = Some.Event() with { AggregateOnly = true };

        var result = await Store.WriteAsync(WriteBatch.Of(fresh, old, counted, fresh), Ct);

        Assert.Equal([WriteOutcome.Stored, WriteOutcome.Duplicate, WriteOutcome.Counted, WriteOutcome.Duplicate], result.Events);
    }

    [Fact]
    public async Task Events_read_in_timestamp_order()
    {
        var at = Some.Instant();
        var events = Enumerable.Range(0, 20).Select(i => Some.Event(at: at.AddSeconds((i * 7) % 20))).ToList();
        // Two events at the same instant are ordered by id, so every read gives the same order.
        events.Add(Some.Event(at: at) with { EventId = "a_same_instant" });
        events.Add(Some.Event(at: at) with { EventId = "z_same_instant" });

        await Store.WriteAsync(new WriteBatch(events.OrderBy(_ => Random.Shared.Next()).ToList(), [], []), Ct);

        var read = await ReadAllAsync();
        Assert.Equal(events.OrderBy(e => e.Timestamp).ThenBy(e => e.EventId, StringComparer.Ordinal).Select(e => e.EventId), read.Select(e => e.EventId));
    }

    [Fact]
    public async Task Reading_filters_by_name_and_a_half_open_time_range()
    {
        var at = Some.Instant();
        var before = Some.Event("order_placed", at.AddMilliseconds(-1));
        var atStart = Some.Event("order_placed", at);
        var inside = Some.Event("order_placed", at.AddHours(1));
        var atEnd = Some.Event("order_placed", at.AddHours(2));
        var otherName = Some.Event("page_viewed", at.AddHours(1));
        await Store.WriteAsync(WriteBatch.Of(before, atStart, inside, atEnd, otherName), Ct);

        var query = new EventQuery("order_placed", at, at.AddHours(2));

        Assert.Equal([atStart, inside], await ReadAllAsync(query: query));
        Assert.Equal(2, await Store.CountEventsAsync(query, Ct));
        Assert.Equal(4, await Store.CountEventsAsync(new EventQuery("order_placed"), Ct));
        Assert.Equal(3, await Store.CountEventsAsync(new EventQuery(From: at.AddHours(1)), Ct));
        Assert.Equal(2, await Store.CountEventsAsync(new EventQuery(To: at.AddHours(1)), Ct));
    }

    [Fact]
    public async Task Contains_event_knows_stored_and_counted_ids()
    {
        var stored = Some.Event();
        var counted = Some.Event() with { AggregateOnly = true };
        await Store.WriteAsync(WriteBatch.Of(stored, counted), Ct);

        Assert.True(await Store.ContainsEventAsync(stored.EventId, Ct));
        Assert.True(await Store.ContainsEventAsync(counted.EventId, Ct));
        Assert.False(await Store.ContainsEventAsync(Some.Id(), Ct));
    }

    [Fact]
    public async Task Empty_batch_writes_nothing()
    {
        var result = await Store.WriteAsync(new WriteBatch([], [], []), Ct);

        Assert.Empty(result.Events);
        Assert.Equal(0, result.QuarantinedStored);
        Assert.Equal(0, await Store.CountEventsAsync(new EventQuery(), Ct));
    }

    // ---- aggregate-only and roll-ups --------------------------------------------------------------------------

    [Fact]
    public async Task Aggregate_only_event_is_counted_but_not_stored_raw()
    {
        var e = Some.Event("heartbeat") with { AggregateOnly = true, Count = 40 };

        var result = await Store.WriteAsync(WriteBatch.Of(e), Ct);

        Assert.Equal([WriteOutcome.Counted], result.Events);
        Assert.Empty(await ReadAllAsync());
        var rollup = Assert.Single(await Store.ReadRollupsAsync(new RollupQuery("heartbeat"), Ct));
        Assert.Equal(40, rollup.Count);
    }

    [Fact]
    public async Task Aggregate_only_retry_is_not_counted_twice()
    {
        var e = Some.Event("heartbeat") with { AggregateOnly = true, Count = 3 };
        await Store.WriteAsync(WriteBatch.Of(e), Ct);

        var retry = await Store.WriteAsync(WriteBatch.Of(e, e), Ct);

        Assert.Equal([WriteOutcome.Duplicate, WriteOutcome.Duplicate], retry.Events);
        Assert.Equal(3, Assert.Single(await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Count);
    }

    [Fact]
    public async Task An_id_is_deduplicated_across_raw_and_aggregate_only_events()
    {
        // The plan can make an event aggregate-only between a send and its retry; the retry is still a retry.
        var raw = Some.Event();
        var counted = Some.Event() with { AggregateOnly = true };
        await Store.WriteAsync(WriteBatch.Of(raw, counted), Ct);

        var result = await Store.WriteAsync(WriteBatch.Of(raw with { AggregateOnly = true }, counted with { AggregateOnly = false }), Ct);

        Assert.Equal([WriteOutcome.Duplicate, WriteOutcome.Duplicate], result.Events);
        Assert.Equal([raw], await ReadAllAsync());
        Assert.Equal(2, (await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
    }

    [Fact]
    public async Task Rollup_adds_counts_per_day_and_source()
    {
        var day1 = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddDays(1);
        // Late on day 1 in UTC+02:00 is still day 1 in UTC; the roll-up day is the UTC day.
        var lateInBerlin = new DateTimeOffset(2025, 4, 2, 1, 30, 0, TimeSpan.FromHours(2));
        var batch = new[]
        {
            Some.Event("order_placed", day1.AddHours(1)) with { Source = "web", Count = 2 },
            Some.Event("order_placed", day1.AddHours(23)) with { Source = "web" },
            Some.Event("order_placed", lateInBerlin) with { Source = "web" },
            Some.Event("order_placed", day1.AddHours(2)) with { Source = "ios" },
            Some.Event("order_placed", day1.AddHours(3)) with { Source = null },
            Some.Event("order_placed", day1.AddHours(4)) with { Source = "web", Environment = "staging" },
            Some.Event("order_placed", day2.AddHours(5)) with { Source = "web", AggregateOnly = true, Count = 10, PropertiesJson = """{"seats":3,"plan":"pro","coupon":null}""" },
            Some.Event("page_viewed", day2.AddHours(6)) with { Source = "web" },
        };
        await Store.WriteAsync(WriteBatch.Of(batch[..4]), Ct);
        await Store.WriteAsync(WriteBatch.Of(batch[4..]), Ct);
        // Another batch adds to the existing row rather than replacing it.
        await Store.WriteAsync(WriteBatch.Of(Some.Event("order_placed", day1.AddHours(9)) with { Source = "web" }), Ct);

        var d1 = DateOnly.FromDateTime(day1.UtcDateTime);
        var d2 = DateOnly.FromDateTime(day2.UtcDateTime);
        Assert.Equal(
            [
                new RollupRow(d1, "order_placed", "production", "", 1),
                new RollupRow(d1, "order_placed", "production", "ios", 1),
                new RollupRow(d1, "order_placed", "production", "web", 5),
                new RollupRow(d1, "order_placed", "staging", "web", 1),
                new RollupRow(d2, "order_placed", "production", "web", 10, """{"plan":"pro","seats":"3"}"""),
                new RollupRow(d2, "page_viewed", "production", "web", 1),
            ],
            await Store.ReadRollupsAsync(new RollupQuery(), Ct));
    }

    [Fact]
    public async Task Rollup_query_filters_by_name_and_includes_both_ends_of_the_day_range()
    {
        var start = new DateTimeOffset(2025, 5, 10, 12, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 5).SelectMany(d => new[]
        {
            Some.Event("order_placed", start.AddDays(d)) with { Source = "web" },
            Some.Event("page_viewed", start.AddDays(d)) with { Source = "web" },
        }).ToArray();
        await Store.WriteAsync(WriteBatch.Of(events), Ct);

        var rows = await Store.ReadRollupsAsync(new RollupQuery("order_placed", new DateOnly(2025, 5, 11), new DateOnly(2025, 5, 13)), Ct);

        Assert.Equal([new DateOnly(2025, 5, 11), new DateOnly(2025, 5, 12), new DateOnly(2025, 5, 13)], rows.Select(r => r.Day));
        Assert.All(rows, r => Assert.Equal("order_placed", r.Name));
    }

    // ---- quarantine ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task Quarantined_event_reads_back_with_its_reasons()
    {
        var q = Some.Quarantined(ViolationCodes.MissingProperty, ViolationCodes.WrongType) with { EventName = null, RequestId = null };

        var result = await Store.WriteAsync(new WriteBatch([], [q], []), Ct);

        Assert.Equal(1, result.QuarantinedStored);
        AssertSame(q, Assert.Single(await Store.ReadQuarantineAsync(Ct).ToListAsync(Ct)));
    }

    [Fact]
    public async Task Quarantined_retry_is_kept_once()
    {
        var q = Some.Quarantined();
        var other = Some.Quarantined();
        await Store.WriteAsync(new WriteBatch([], [q], []), Ct);

        // The retry gets a new quarantine id but carries the same event id; within a batch the same applies.
        var result = await Store.WriteAsync(new WriteBatch([], [q with { Id = Some.Id("q") }, other, other with { Id = Some.Id("q") }], []), Ct);

        Assert.Equal(1, result.QuarantinedStored);
        var kept = await Store.ReadQuarantineAsync(Ct).ToListAsync(Ct);
        Assert.Equal(new[] { q.Id, other.Id }.Order(), kept.Select(x => x.Id).Order());
    }

    [Fact]
    public async Task Quarantine_groups_by_reason()
    {
        var batch = new List<QuarantinedEvent>();
        for (var i = 0; i < 5; i++) batch.Add(Some.Quarantined(ViolationCodes.UnknownEvent));
        for (var i = 0; i < 3; i++) batch.Add(Some.Quarantined(ViolationCodes.MissingProperty, ViolationCodes.WrongType));
        // Two violations with one code: one event, counted once in that group.
        batch.Add(Some.Quarantined(ViolationCodes.MissingProperty, ViolationCodes.MissingProperty));
        batch.Add(Some.Quarantined(ViolationCodes.TooLong));
        await Store.WriteAsync(new WriteBatch([], batch, []), Ct);

        var groups = await Store.QuarantineByReasonAsync(samplePerGroup: 2, Ct);

        Assert.Equal(
            [(ViolationCodes.UnknownEvent, 5L), (ViolationCodes.MissingProperty, 4L), (ViolationCodes.WrongType, 3L), (ViolationCodes.TooLong, 1L)],
            groups.Select(g => (g.Reason, g.Count)));
        foreach (var group in groups)
        {
            Assert.Equal(Math.Min(2, group.Count), group.Sample.Count);
            Assert.All(group.Sample, s => Assert.Contains(s.Reasons, r => r.Code == group.Reason));
            Assert.Equal(group.Sample.Count, group.Sample.Select(s => s.Id).Distinct().Count());
        }

        // The sample is the most recently received.
        var newestUnknown = batch.Where(q => q.Reasons[0].Code == ViolationCodes.UnknownEvent).OrderByDescending(q => q.ReceivedAt).Take(2);
        Assert.Equal(newestUnknown.Select(q => q.Id), groups[0].Sample.Select(s => s.Id));
        AssertSame(batch.Single(q => q.Id == groups[0].Sample[0].Id), groups[0].Sample[0]);
    }

    [Fact]
    public async Task Quarantine_groups_without_samples_still_count()
    {
        await Store.WriteAsync(new WriteBatch([], [Some.Quarantined(ViolationCodes.TooLong), Some.Quarantined(ViolationCodes.TooLong)], []), Ct);

        var group = Assert.Single(await Store.QuarantineByReasonAsync(samplePerGroup: 0, Ct));

        Assert.Equal(2, group.Count);
        Assert.Empty(group.Sample);
    }

    [Fact]
    public async Task Removed_quarantine_rows_are_gone()
    {
        var keep = Some.Quarantined(ViolationCodes.TooLong);
        var drop1 = Some.Quarantined(ViolationCodes.UnknownEvent);
        var drop2 = Some.Quarantined(ViolationCodes.UnknownEvent, ViolationCodes.TooLong);
        await Store.WriteAsync(new WriteBatch([], [keep, drop1, drop2], []), Ct);

        var removed = await Store.RemoveFromQuarantineAsync([drop1.Id, drop2.Id, "no_such_id"], Ct);

        Assert.Equal(2, removed);
        Assert.Equal([keep.Id], (await Store.ReadQuarantineAsync(Ct).ToListAsync(Ct)).Select(q => q.Id));
        var group = Assert.Single(await Store.QuarantineByReasonAsync(5, Ct));
        Assert.Equal((ViolationCodes.TooLong, 1L), (group.Reason, group.Count));
        Assert.Equal(0, await Store.RemoveFromQuarantineAsync([drop1.Id], Ct));
        Assert.Equal(0, await Store.RemoveFromQuarantineAsync([], Ct));
    }

    [Fact]
    public async Task A_replayed_event_is_stored_after_its_quarantine_row_is_removed()
    {
        var q = Some.Quarantined(ViolationCodes.MissingProperty);
        await Store.WriteAsync(new WriteBatch([], [q], []), Ct);
        var fixedEvent = Some.Event() with { EventId = q.EventId };

        var result = await Store.WriteAsync(WriteBatch.Of(fixedEvent), Ct);
        await Store.RemoveFromQuarantineAsync([q.Id], Ct);

        Assert.Equal([WriteOutcome.Stored], result.Events);
        Assert.Empty(await Store.ReadQuarantineAsync(Ct).ToListAsync(Ct));
        Assert.True(await Store.ContainsEventAsync(q.EventId, Ct));
    }

    // ---- identity and opt-out -----------------------------------------------------------------------------------

    [Fact]
    public async Task Identity_links_are_upserted_and_keep_their_first_time()
    {
        var link = Some.Link(IdentityLink.Identify);
        var other = Some.Link(IdentityLink.Alias);
        await Store.WriteAsync(new WriteBatch([], [], [link, other]), Ct);

        // Seen again later (kept at the first time) and, for the other pair, earlier (moves back to it).
        var earlier = other with { At = other.At.AddHours(-1), Kind = IdentityLink.MergeKey };
        await Store.WriteAsync(new WriteBatch([], [], [link with { At = link.At.AddDays(1), Kind = IdentityLink.Alias }, earlier]), Ct);

        var links = await Store.ReadIdentityLinksAsync(Ct);
        Assert.Equal(2, links.Count);
        Assert.Contains(link, links);
        Assert.Contains(earlier, links);
    }

    [Fact]
    public async Task Latest_opt_out_state_wins()
    {
        var t = Some.Instant();
        await Store.SetOptOutAsync("alice", true, t, Ct);
        await Store.SetOptOutAsync("bob", true, t, Ct);
        await Store.SetOptOutAsync("carol", false, t, Ct);
        // Arrives late but was made earlier: alice stays opted out.
        await Store.SetOptOutAsync("alice", false, t.AddMinutes(-5), Ct);
        // Made later: bob is back in.
        await Store.SetOptOutAsync("bob", false, t.AddMinutes(5), Ct);

        Assert.Equal(["alice"], await Store.ReadOptedOutAsync(Ct));

        await Store.SetOptOutAsync("carol", true, t.AddMinutes(1), Ct);
        Assert.Equal(["alice", "carol"], (await Store.ReadOptedOutAsync(Ct)).Order());
    }

    // ---- durability and concurrency -----------------------------------------------------------------------------

    [Fact]
    public async Task Events_survive_reopening_the_store()
    {
        var events = Some.Events(50);
        var q = Some.Quarantined(ViolationCodes.WrongType);
        var link = Some.Link();
        await Store.WriteAsync(new WriteBatch(events, [q], [link]), Ct);
        await Store.SetOptOutAsync("alice", true, Some.Instant(), Ct);

        // Disposed without any flush: a completed write is already durable.
        await Store.DisposeAsync();
        var reopened = await ReopenAsync();

        Assert.Equal(events.OrderBy(e => e.Timestamp).ThenBy(e => e.EventId, StringComparer.Ordinal), await ReadAllAsync(reopened));
        AssertSame(q, Assert.Single(await reopened.ReadQuarantineAsync(Ct).ToListAsync(Ct)));
        Assert.Equal([link], await reopened.ReadIdentityLinksAsync(Ct));
        Assert.Equal(["alice"], await reopened.ReadOptedOutAsync(Ct));
        Assert.Equal(50, (await reopened.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
        // Deduplication remembers ids from before the restart.
        Assert.Equal([WriteOutcome.Duplicate], (await reopened.WriteAsync(WriteBatch.Of(events[0]), Ct)).Events);
    }

    [Fact]
    public async Task A_completed_write_is_visible_to_another_store_on_the_same_storage()
    {
        var reader = await ReopenAsync();
        var e = Some.Event();

        await Store.WriteAsync(WriteBatch.Of(e), Ct);

        // The writer is neither disposed nor flushed.
        Assert.True(await reader.ContainsEventAsync(e.EventId, Ct));
        Assert.Equal([e], await ReadAllAsync(reader));
    }

    [Fact]
    public async Task Disposing_twice_is_harmless()
    {
        await Store.DisposeAsync();
        await Store.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_writes_from_several_tasks_store_each_event_once()
    {
        const int Tasks = 6, BatchesPerTask = 8, BatchSize = 40;
        // Every task also resends a shared pool of events, so tasks race on the same ids.
        var shared = Some.Events(100, "shared_event");
        var unique = Enumerable.Range(0, Tasks).Select(_ => Some.Events(BatchesPerTask * BatchSize, "own_event")).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            var outcomes = new List<(string Id, WriteOutcome Outcome)>();
            for (var b = 0; b < BatchesPerTask; b++)
            {
                var batch = unique[t].Skip(b * BatchSize).Take(BatchSize)
                    .Concat(shared.OrderBy(_ => Random.Shared.Next()).Take(10))
                    .ToList();
                var result = await Store.WriteAsync(new WriteBatch(batch, [], []), Ct);
                Assert.Equal(batch.Count, result.Events.Count);
                outcomes.AddRange(batch.Select((e, i) => (e.EventId, result.Events[i])));
            }

            return outcomes;
        }, Ct)));

        var all = results.SelectMany(r => r).ToList();
        var storedPerId = all.Where(o => o.Outcome == WriteOutcome.Stored).GroupBy(o => o.Id).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(storedPerId.Values, n => Assert.Equal(1, n));
        var distinctIds = all.Select(o => o.Id).Distinct().Count();
        Assert.Equal(distinctIds, storedPerId.Count);
        Assert.Equal(all.Count - distinctIds, all.Count(o => o.Outcome == WriteOutcome.Duplicate));
        Assert.Equal(distinctIds, await Store.CountEventsAsync(new EventQuery(), Ct));
        Assert.Equal(Tasks * BatchesPerTask * BatchSize, await Store.CountEventsAsync(new EventQuery("own_event"), Ct));
        Assert.Equal(distinctIds, (await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
    }

    private static readonly IReadOnlyList<Violation> NoReasons = [];

    private static void AssertSame(QuarantinedEvent expected, QuarantinedEvent actual)
    {
        // Reasons is a list, which record equality compares by reference; compare it by content.
        Assert.Equal(expected.Reasons, actual.Reasons);
        Assert.Equal(expected with { Reasons = NoReasons }, actual with { Reasons = NoReasons });
    }
}
