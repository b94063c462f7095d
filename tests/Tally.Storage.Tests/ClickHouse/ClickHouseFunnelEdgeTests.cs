using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// Hand-built funnels at the points where ClickHouse's own <c>windowFunnel</c> on 18.16 would answer differently from
/// the engine (docs/clickhouse-store.md): one event satisfying two steps, ties between events, a window longer than
/// 2^31 ms. The store must give the engine's answer, and the answer is stated here too.
/// </summary>
public sealed class ClickHouseFunnelEdgeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeRange Day = TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3));

    private readonly ClickHouseStoreFactory _factory = new();
    private ClickHouseEventStore _store = null!;
    private int _ids;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = (ClickHouseEventStore)await _factory.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task One_event_matching_two_steps_satisfies_both()
    {
        // "search(kind=full)" matches steps 2 and 3; windowFunnel on 18.16 lets one row count for one step only.
        var events = new[] { Event("open", At, "s1"), Event("search", At.AddMinutes(1), "s1", """{"kind":"full"}""") };
        var query = Funnel(TimeSpan.FromMinutes(30), "open", "search", "search(kind=full)");

        var result = await SameAsEngineAsync(events, query);

        Assert.Equal([1L, 1L, 1L], result.Steps.Select(s => s.Actors));
        Assert.Equal(0, result.Steps[2].MedianSecondsFromPrevious);
    }

    [Fact]
    public async Task Steps_at_one_instant_count_in_step_order_whatever_the_arrival_order()
    {
        // Written step 2 first; windowFunnel on 18.16 takes rows with equal times in arrival order.
        var events = new[] { Event("shown", At, "s1"), Event("open", At, "s1") };
        var query = Funnel(TimeSpan.Zero, "open", "shown");

        var result = await SameAsEngineAsync(events, query);

        Assert.Equal([1L, 1L], result.Steps.Select(s => s.Actors));
    }

    [Fact]
    public async Task Windows_longer_than_25_days_and_steps_after_the_range_end_count()
    {
        // 2^31 ms is under 25 days: windowFunnel on 18.16 keeps times in an Int32.
        var events = new[] { Event("open", At, "s1"), Event("plan", At.AddDays(28), "s1"), Event("open", At.AddDays(-1), "s2"), Event("plan", At, "s2") };
        var query = Funnel(TimeSpan.FromDays(30), "open", "plan");

        var result = await SameAsEngineAsync(events, query);

        Assert.Equal([1L, 1L], result.Steps.Select(s => s.Actors));
        Assert.Equal(1, result.CompletesAfterRangeEnd);
        Assert.Equal(28 * 86400, result.Steps[1].MedianSecondsFromPrevious);
    }

    [Fact]
    public async Task The_chain_of_record_takes_the_latest_step_that_fits_the_window()
    {
        // docs/analytics.md's example: the shortlist is 40 minutes after the start, the median is from the later "shown".
        var events = new[] { Event("open", At, "s1"), Event("shown", At.AddMinutes(2), "s1"), Event("shown", At.AddMinutes(3), "s1"), Event("shortlisted", At.AddMinutes(40), "s1") };
        var query = Funnel(TimeSpan.FromMinutes(30), "open", "shown", "shortlisted");

        var result = await SameAsEngineAsync(events, query);

        Assert.Equal([1L, 1L, 0L], result.Steps.Select(s => s.Actors));
        Assert.Equal(180, result.Steps[1].MedianSecondsFromPrevious);
    }

    private async Task<FunnelResult> SameAsEngineAsync(CollectedEvent[] events, FunnelQuery query)
    {
        await _store.WriteAsync(new WriteBatch(events, [], []), Ct);
        var expected = FunnelEngine.Run(events.Select(AnalyticsEvent.From), IdentityGraph.Empty, query);
        var actual = await _store.FunnelAsync(query, Ct);
        SameAnswer.Assert(expected, actual, string.Join(" → ", query.Steps));
        return actual;
    }

    private static FunnelQuery Funnel(TimeSpan window, params string[] steps) =>
        new(steps.Select(Filter).ToList(), window, CountingUnit.Session, Day);

    private static EventFilter Filter(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open < 0) return EventFilter.Of(text);
        var condition = text[(open + 1)..^1].Split('=');
        return EventFilter.Of(text[..open], (condition[0], condition[1]));
    }

    private CollectedEvent Event(string name, DateTimeOffset at, string session, string properties = "{}") => new()
    {
        EventId = $"edge-{++_ids}",
        Name = name,
        Timestamp = at,
        ReceivedAt = at,
        SessionId = session,
        PropertiesJson = properties,
    };
}
