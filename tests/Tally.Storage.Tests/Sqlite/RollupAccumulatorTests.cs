using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Writing;

namespace Tally.Storage.Tests.Sqlite;

public class RollupAccumulatorTests
{
    [Theory]
    [InlineData(3)]    // a few rows: the linear search alone
    [InlineData(400)]  // a backfill across many days and names: the dictionary takes over part way
    public void Sums_match_a_plain_grouping_of_the_same_events(int days)
    {
        var rnd = new Random(days);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 5_000).Select(i => new CollectedEvent
        {
            EventId = $"e-{i}",
            Name = $"event_{rnd.Next(6)}",
            Timestamp = start.AddDays(rnd.Next(days)).AddMinutes(rnd.Next(1440)),
            ReceivedAt = start,
            Environment = rnd.Next(4) == 0 ? "staging" : "production",
            Source = rnd.Next(3) switch { 0 => null, 1 => "web", _ => "ios" },
            Count = rnd.Next(1, 4),
            AggregateOnly = rnd.Next(5) == 0,
            PropertiesJson = $"{{\"plan\":\"p{rnd.Next(2)}\"}}",
        }).ToList();

        var accumulator = new RollupAccumulator();
        foreach (var e in events) accumulator.Add(e);

        var expected = events.Select(RollupRow.Of)
            .GroupBy(r => (r.Day, r.Name, r.Environment, r.Source, r.Dimensions))
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var actual = accumulator.Rows.ToDictionary(r => (r.Key.Day, r.Key.Name, r.Key.Environment, r.Key.Source, r.Key.Dimensions), r => r.Value);
        Assert.Equal(expected.Count, accumulator.Rows.Count());
        Assert.Equal(expected.OrderBy(x => x.Key).ToList(), actual.OrderBy(x => x.Key).ToList());
    }
}
