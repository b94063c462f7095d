using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Sqlite.Writing;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>
/// Events are appended by statements of <see cref="InsertEvent.RowsPerStatement"/> rows, the rest one by one: every
/// column of every row must land where it belongs, whatever mix of full statements, leftovers and skipped rows.
/// </summary>
public sealed class MultiRowInsertTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(InsertEvent.RowsPerStatement)]
    [InlineData(InsertEvent.RowsPerStatement * 3 + 5)]
    public async Task Every_field_of_every_event_round_trips_through_multi_row_statements(int count)
    {
        await using var store = await SqliteEventStore.OpenAsync(_directory.File("tally.db"), Ct);
        var stored = Enumerable.Range(0, count).Select(i => i % 2 == 0 ? Some.Event() : Some.MinimalEvent()).ToList();
        var earlier = Some.Event();
        await store.WriteAsync(WriteBatch.Of(earlier), Ct);

        // Duplicates (of an earlier batch and within this one) and aggregate-only events sit between the stored rows,
        // so statements fill from rows that are not adjacent in the batch.
        var batch = new List<CollectedEvent>();
        var expected = new List<WriteOutcome>();
        for (var i = 0; i < stored.Count; i++)
        {
            batch.Add(stored[i]);
            expected.Add(WriteOutcome.Stored);
            if (i % 7 == 3)
            {
                batch.Add(earlier);
                expected.Add(WriteOutcome.Duplicate);
                batch.Add(stored[i / 2]);
                expected.Add(WriteOutcome.Duplicate);
            }
            if (i % 11 == 5)
            {
                batch.Add(Some.Event() with { AggregateOnly = true, PropertiesJson = "{}" });
                expected.Add(WriteOutcome.Counted);
            }
        }

        var result = await store.WriteAsync(new WriteBatch(batch, [], []), Ct);

        Assert.Equal(expected, result.Events);
        var read = await store.ReadEventsAsync(new EventQuery(), Ct).ToListAsync(Ct);
        Assert.Equal(count + 1, read.Count);
        var byId = read.ToDictionary(e => e.EventId);
        foreach (var e in stored) Assert.Equal(e, byId[e.EventId]);
    }
}
