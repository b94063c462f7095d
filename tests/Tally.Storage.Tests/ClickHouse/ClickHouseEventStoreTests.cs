using System.Diagnostics;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse;
using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>The storage contract on a real ClickHouse server, plus what only the ClickHouse store promises.</summary>
public sealed class ClickHouseEventStoreTests : EventStoreContract
{
    private readonly ClickHouseStoreFactory _factory;

    public ClickHouseEventStoreTests() : this(new ClickHouseStoreFactory())
    {
    }

    private ClickHouseEventStoreTests(ClickHouseStoreFactory factory) : base(factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<string[]> LinesAsync(string sql) => ClickHouseServer.LinesAsync(sql, _factory.Database);

    [Fact]
    public async Task Schema_version_records_each_migration_once()
    {
        await Store.InitializeAsync(Ct);
        await ReopenAsync();

        var scripts = typeof(ClickHouseEventStore).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => int.Parse(n.Split('.')[^2].Split('_')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Order().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(scripts, await LinesAsync("SELECT version FROM schema_version ORDER BY version"));
    }

    [Fact]
    public async Task Aggregate_only_events_leave_no_raw_row()
    {
        var e = Some.Event() with { AggregateOnly = true };
        await Store.WriteAsync(WriteBatch.Of(e), Ct);

        Assert.Equal(["0"], await LinesAsync("SELECT count() FROM events"));
        Assert.Equal([e.EventId], await LinesAsync("SELECT event_id FROM seen_ids"));
    }

    [Fact]
    public async Task Removed_quarantine_rows_are_deleted_from_the_table_not_hidden()
    {
        var keep = Some.Quarantined();
        var drop = Some.Quarantined();
        await Store.WriteAsync(new WriteBatch([], [keep, drop], []), Ct);

        await Store.RemoveFromQuarantineAsync([drop.Id], Ct);

        // Read straight from the table, so a store that only filtered removed rows out of its own reads would fail.
        Assert.Equal([keep.Id], await LinesAsync("SELECT id FROM quarantine"));
    }

    [Fact]
    public async Task Rollups_are_summed_on_read_even_when_parts_are_not_merged()
    {
        // Hold the parts apart, as a busy server that has not got round to merging them would.
        await LinesAsync("SYSTEM STOP MERGES rollups_daily");
        var at = Some.Instant();
        for (var i = 0; i < 3; i++)
        {
            await Store.WriteAsync(WriteBatch.Of(Some.Event("order_placed", at) with { Source = "web" }), Ct);
        }

        var rollup = Assert.Single(await Store.ReadRollupsAsync(new RollupQuery(), Ct));

        Assert.Equal(["3"], await LinesAsync("SELECT count() FROM rollups_daily"));
        Assert.Equal(3, rollup.Count);
    }

    [Fact]
    public async Task Awkward_characters_round_trip_through_every_text_column()
    {
        const string Awkward = "tab\there, new\nline, cr\r, back\\slash, 'single' \"double\", nul\0, bell\a, émoji 😀, {x:String}";
        var e = Some.Event() with
        {
            EventId = "id " + Awkward,
            Name = "name " + Awkward,
            Source = Awkward,
            UserId = Awkward,
            PropertiesJson = """{"note":"tab\there \\ \"q\" 😀"}""",
        };
        var q = Some.Quarantined() with { EventName = Awkward, PayloadJson = Awkward, Reasons = [new Violation("code " + Awkward, Awkward, Awkward)] };

        await Store.WriteAsync(new WriteBatch([e], [q], []), Ct);

        Assert.Equal([e], await Store.ReadEventsAsync(new EventQuery(e.Name), Ct).ToListAsync(Ct));
        Assert.True(await Store.ContainsEventAsync(e.EventId, Ct));
        var read = Assert.Single(await Store.ReadQuarantineAsync(Ct).ToListAsync(Ct));
        Assert.Equal(q.Reasons, read.Reasons);
        Assert.Equal(q with { Reasons = [] }, read with { Reasons = [] });
        Assert.Equal("code " + Awkward, Assert.Single(await Store.QuarantineByReasonAsync(1, Ct)).Reason);
        Assert.Equal(1, Assert.Single(await Store.ReadRollupsAsync(new RollupQuery(e.Name), Ct)).Count);
        Assert.Equal(1, await Store.RemoveFromQuarantineAsync([q.Id], Ct));
    }

    [Fact]
    public async Task A_batch_of_thousands_is_stored_and_its_retry_is_all_duplicates()
    {
        const int Batches = 4, BatchSize = 5000;
        var batches = Enumerable.Range(0, Batches).Select(_ => Some.Events(BatchSize)).ToList();

        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var result = await Store.WriteAsync(new WriteBatch(batch, [], []), Ct);
            Assert.All(result.Events, o => Assert.Equal(WriteOutcome.Stored, o));
        }

        clock.Stop();
        TestContext.Current.SendDiagnosticMessage(
            $"ClickHouse insert: {Batches * BatchSize} events in batches of {BatchSize} in {clock.ElapsedMilliseconds} ms = {Batches * BatchSize / clock.Elapsed.TotalSeconds:N0} events/s");

        var retry = await Store.WriteAsync(new WriteBatch(batches[1], [], []), Ct);
        Assert.All(retry.Events, o => Assert.Equal(WriteOutcome.Duplicate, o));
        Assert.Equal(Batches * BatchSize, await Store.CountEventsAsync(new EventQuery(), Ct));
        Assert.Equal(Batches * BatchSize, (await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
    }

    [Theory]
    [InlineData("events_to_rollups", "events_to_seen_ids", "counted_events_to_rollups", "counted_events_to_seen_ids")]
    [InlineData("events_to_seen_ids", "counted_events_to_seen_ids")]
    public async Task An_insert_cut_short_before_its_views_is_finished_by_the_next_store_not_stored_twice(params string[] viewsNotWritten)
    {
        // A server killed between an INSERT's own part and its views' parts leaves the rows without their ids (and
        // maybe without their counts). Detached views reproduce that state exactly.
        var raw = Some.Event();
        var counted = Some.Event() with { AggregateOnly = true, Count = 5 };
        foreach (var view in viewsNotWritten) await LinesAsync($"DETACH TABLE {view}");
        await Store.WriteAsync(WriteBatch.Of(raw, counted), Ct);
        foreach (var view in viewsNotWritten) await LinesAsync($"ATTACH TABLE {view}");
        Assert.Equal(["0"], await LinesAsync("SELECT count() FROM seen_ids"));

        // The collector restarts and ships the same batch again, as its spool does.
        var next = await ReopenAsync();
        var retry = await next.WriteAsync(WriteBatch.Of(raw, counted), Ct);

        Assert.Equal([WriteOutcome.Duplicate, WriteOutcome.Duplicate], retry.Events);
        Assert.Equal([raw], await next.ReadEventsAsync(new EventQuery(), Ct).ToListAsync(Ct));
        Assert.True(await next.ContainsEventAsync(counted.EventId, Ct));
        Assert.Equal(raw.Count + counted.Count, (await next.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
        // And the repaired ids make later retries ordinary duplicates.
        Assert.Equal([WriteOutcome.Duplicate, WriteOutcome.Duplicate], (await next.WriteAsync(WriteBatch.Of(raw, counted), Ct)).Events);
        Assert.Equal(raw.Count + counted.Count, (await next.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
    }

    [Fact]
    public async Task Using_the_store_before_initializing_it_says_so()
    {
        await using var store = new ClickHouseEventStore(_factory.Uri);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(WriteBatch.Of(Some.Event()), Ct));
        Assert.Contains("InitializeAsync", error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_with_its_address()
    {
        // Port 9 (discard) on loopback: nothing listens there.
        await using var store = new ClickHouseEventStore(new Uri("http://127.0.0.1:9/"), _factory.Database);

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => store.InitializeAsync(Ct));
        Assert.Contains("127.0.0.1:9", error.Message);
    }

    [Fact]
    public async Task A_server_error_carries_the_servers_message()
    {
        await ClickHouseServer.QueryAsync("DROP TABLE events", _factory.Database);

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => Store.CountEventsAsync(new EventQuery(), Ct));
        // Code 60 is UNKNOWN_TABLE on every version; the wording around it changed over the years.
        Assert.Contains("Code: 60", error.Message);
        Assert.Contains("events", error.Message);
    }
}
