using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IRetentionStore"/> promises: counts equal a brute-force count over what was written, counting
/// changes nothing, and a deletion removes exactly the rows past their cutoff (and is complete when it returns).
/// </summary>
public abstract class RetentionStoreContract(IEventStoreFactory factory) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["order_placed", "page_viewed", "signup_completed"];
    private static readonly string[] Environments = ["production", "staging"];

    private IEventStore? _store;

    private IEventStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    private IRetentionStore Retention => Assert.IsAssignableFrom<IRetentionStore>(Store);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await factory.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Events of three names and two environments, one every 7 hours over 120 days, so days, months and hours all vary.</summary>
    private static List<CollectedEvent> History() =>
        Enumerable.Range(0, 120 * 24 / 7).Select(i => Some.Event(Names[i % Names.Length], Start.AddHours(i * 7).AddMilliseconds(i)) with
        {
            Environment = Environments[i / 3 % Environments.Length],
        }).ToList();

    private async Task<List<CollectedEvent>> WriteHistoryAsync()
    {
        var events = History();
        foreach (var chunk in events.Chunk(100)) await Store.WriteAsync(new WriteBatch(chunk, [], []), Ct);
        return events;
    }

    private static Dictionary<string, long> Expected(IEnumerable<CollectedEvent> events, IReadOnlyList<EventCutoff> cutoffs) =>
        events.Where(e => cutoffs.Any(c => c.Name == e.Name && e.Timestamp < c.Before))
            .GroupBy(e => e.Name).ToDictionary(g => g.Key, g => (long)g.Count());

    [Fact]
    public async Task Counting_old_events_gives_the_brute_force_count_and_changes_nothing()
    {
        var events = await WriteHistoryAsync();
        EventCutoff[] cutoffs = [new("order_placed", Start.AddDays(30)), new("page_viewed", Start.AddDays(75).AddMinutes(13))];

        var counts = await Retention.CountEventsBeforeAsync(cutoffs, Ct);

        Assert.Equal(Expected(events, cutoffs), counts);
        Assert.Equal(events.Count, await Store.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task Deleting_removes_exactly_the_events_of_each_name_before_its_cutoff()
    {
        var events = await WriteHistoryAsync();
        EventCutoff[] cutoffs = [new("order_placed", Start.AddDays(30)), new("page_viewed", Start.AddDays(75).AddMinutes(13))];
        var rollupsBefore = await Store.ReadRollupsAsync(new RollupQuery(), Ct);

        var deleted = await Retention.DeleteEventsBeforeAsync(cutoffs, Ct);

        Assert.Equal(Expected(events, cutoffs), deleted);
        var kept = events.Where(e => !cutoffs.Any(c => c.Name == e.Name && e.Timestamp < c.Before)).Select(e => e.EventId).Order(StringComparer.Ordinal);
        var left = await Store.ReadEventsAsync(new EventQuery(), Ct).Select(e => e.EventId).ToListAsync(Ct);
        Assert.Equal(kept, left.Order(StringComparer.Ordinal));
        // Daily counts keep their own retention: deleting raw rows leaves them as they were.
        Assert.Equal(Summed(rollupsBefore), Summed(await Store.ReadRollupsAsync(new RollupQuery(), Ct)));
        Assert.Empty(await Retention.CountEventsBeforeAsync(cutoffs, Ct));
    }

    [Fact]
    public async Task Deleting_every_name_past_whole_months_and_part_of_the_next_removes_exactly_those_events()
    {
        var events = await WriteHistoryAsync();
        // January and February are wholly past for every name; March only in part.
        var cutoffs = Names.Select(n => new EventCutoff(n, new DateTimeOffset(2025, 3, 10, 5, 0, 0, TimeSpan.Zero))).ToList();

        var deleted = await Retention.DeleteEventsBeforeAsync(cutoffs, Ct);

        Assert.Equal(Expected(events, cutoffs), deleted);
        var kept = events.Where(e => e.Timestamp >= cutoffs[0].Before).Select(e => e.EventId).Order(StringComparer.Ordinal);
        var left = await Store.ReadEventsAsync(new EventQuery(), Ct).Select(e => e.EventId).ToListAsync(Ct);
        Assert.Equal(kept, left.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Deleting_when_nothing_is_old_enough_deletes_nothing()
    {
        var events = await WriteHistoryAsync();

        var deleted = await Retention.DeleteEventsBeforeAsync([new("order_placed", Start), new("unknown_event", Start.AddYears(5))], Ct);

        Assert.Empty(deleted);
        Assert.Empty(await Retention.DeleteEventsBeforeAsync([], Ct));
        Assert.Equal(events.Count, await Store.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task Roll_up_rows_of_days_before_a_day_are_counted_and_deleted_and_later_days_keep_their_counts()
    {
        var events = await WriteHistoryAsync();
        var day = DateOnly.FromDateTime(Start.AddDays(40).UtcDateTime);
        var rows = events.Select(e => (Day: DateOnly.FromDateTime(e.Timestamp.UtcDateTime), e.Name, e.Environment, e.Source)).Distinct().ToList();
        var expected = rows.Count(r => r.Day < day);

        Assert.Equal(expected, await Retention.CountRollupsBeforeAsync(day, Ct));
        Assert.Equal(expected, await Retention.DeleteRollupsBeforeAsync(day, Ct));

        var left = await Store.ReadRollupsAsync(new RollupQuery(), Ct);
        Assert.All(left, r => Assert.True(r.Day >= day));
        var kept = events.Where(e => DateOnly.FromDateTime(e.Timestamp.UtcDateTime) >= day).ToList();
        Assert.Equal(kept.Sum(e => e.Count), left.Sum(r => r.Count));
        Assert.Equal(0, await Retention.CountRollupsBeforeAsync(day, Ct));
        // Raw events are not touched by roll-up retention.
        Assert.Equal(events.Count, await Store.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task Roll_ups_before_the_first_day_there_is_are_none()
    {
        await WriteHistoryAsync();
        Assert.Equal(0, await Retention.DeleteRollupsBeforeAsync(DateOnly.MinValue, Ct));
        Assert.Equal(0, await Retention.CountRollupsBeforeAsync(new DateOnly(2024, 12, 31), Ct));
    }

    [Fact]
    public async Task The_store_takes_new_events_after_a_deletion()
    {
        await WriteHistoryAsync();
        await Retention.DeleteEventsBeforeAsync([new("order_placed", Start.AddDays(200))], Ct);

        var late = Some.Event("order_placed", Start.AddDays(1));
        var result = await Store.WriteAsync(WriteBatch.Of(late), Ct);

        Assert.Equal([WriteOutcome.Stored], result.Events);
        Assert.Equal(1, await Store.CountEventsAsync(new EventQuery("order_placed"), Ct));
    }

    private static Dictionary<(DateOnly, string, string, string), long> Summed(IEnumerable<RollupRow> rows) =>
        rows.GroupBy(r => (r.Day, r.Name, r.Environment, r.Source)).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
}
