using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The sharded layout against one node: the same random data set, written batch by batch to a two-shard database and
/// to a one-node database, must give the same answers to every read, and to SQL funnels and distinct counts over the
/// Distributed tables. The data really is spread: both shards hold events, and every session lies whole on one shard.
/// </summary>
[Collection(TwoShardCollection.Name)]
public sealed class TwoShardTests(TwoShardCluster cluster)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["widget_open", "results_shown", "item_shortlisted", "csat_submitted", "page_viewed"];
    private static readonly string[] Sources = ["web", "ios", "launcher"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_shards_answer_what_one_node_answers_for_the_same_random_data()
    {
        var seed = Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"data set seed {seed}");
        var data = RandomData(new Random(seed));
        var shardedDb = $"tally_shards_{Guid.NewGuid():N}";
        var singleDb = $"tally_single_{Guid.NewGuid():N}";
        await using var sharded = await ClickHouseEventStore.OpenAsync(cluster.Uri(shardedDb), Ct);
        await using var single = await ClickHouseEventStore.OpenAsync(new ClickHouseStoreUri(cluster.First.HttpUrl, singleDb), Ct);
        try
        {
            // Writes: the same outcome for every event, including ids repeated within and across batches.
            foreach (var batch in data.Batches)
            {
                var one = await single.WriteAsync(batch, Ct);
                var two = await sharded.WriteAsync(batch, Ct);
                Assert.Equal(one.Events, two.Events);
                Assert.Equal(one.QuarantinedStored, two.QuarantinedStored);
            }
            foreach (var (actor, optedOut, at) in data.OptOuts)
            {
                await single.SetOptOutAsync(actor, optedOut, at, Ct);
                await sharded.SetOptOutAsync(actor, optedOut, at, Ct);
            }

            // Every read of the store.
            var all = await single.ReadEventsAsync(new EventQuery(), Ct).ToListAsync(Ct);
            Assert.True(all.Count > 1000, $"only {all.Count} events stored");
            Assert.Equal(all, await sharded.ReadEventsAsync(new EventQuery(), Ct).ToListAsync(Ct));
            var dayTwo = new EventQuery("results_shown", Start.AddDays(1), Start.AddDays(2));
            Assert.Equal(await single.ReadEventsAsync(dayTwo, Ct).ToListAsync(Ct), await sharded.ReadEventsAsync(dayTwo, Ct).ToListAsync(Ct));
            foreach (var query in Names.Select(n => new EventQuery(n)).Append(new EventQuery()).Append(dayTwo))
                Assert.Equal(await single.CountEventsAsync(query, Ct), await sharded.CountEventsAsync(query, Ct));
            Assert.Equal(await single.ReadRollupsAsync(new RollupQuery(), Ct), await sharded.ReadRollupsAsync(new RollupQuery(), Ct));
            var oneDay = new RollupQuery("widget_open", DateOnly.FromDateTime(Start.UtcDateTime), DateOnly.FromDateTime(Start.UtcDateTime));
            Assert.Equal(await single.ReadRollupsAsync(oneDay, Ct), await sharded.ReadRollupsAsync(oneDay, Ct));
            Assert.Equal(await single.ReadIdentityLinksAsync(Ct), await sharded.ReadIdentityLinksAsync(Ct));
            Assert.Equal(await single.ReadOptedOutAsync(Ct), await sharded.ReadOptedOutAsync(Ct));
            Assert.Equal(
                (await single.QuarantineByReasonAsync(0, Ct)).Select(g => (g.Reason, g.Count)),
                (await sharded.QuarantineByReasonAsync(0, Ct)).Select(g => (g.Reason, g.Count)));
            foreach (var e in data.Batches.SelectMany(b => b.Events).Where(e => e.AggregateOnly).Take(20))
                Assert.True(await sharded.ContainsEventAsync(e.EventId, Ct));

            // SQL over the Distributed tables: per-session funnels (windowFunnel, 30 minutes) and distinct actors.
            foreach (var sql in new[] { FunnelLevels, DistinctActors })
                Assert.Equal(await cluster.First.LinesAsync(sql, singleDb, Ct), await cluster.First.LinesAsync(sql, shardedDb, Ct));

            // The data really is spread, by actor: both shards hold events, and no session is split between them.
            var onFirst = await cluster.First.LinesAsync("SELECT DISTINCT session_id FROM events_local WHERE session_id != ''", shardedDb, Ct);
            var onSecond = await cluster.Second.LinesAsync("SELECT DISTINCT session_id FROM events_local WHERE session_id != ''", shardedDb, Ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"{all.Count} events; sessions on shard 1: {onFirst.Length}, on shard 2: {onSecond.Length}");
            Assert.NotEmpty(onFirst);
            Assert.NotEmpty(onSecond);
            Assert.Empty(onFirst.Intersect(onSecond));
            Assert.Equal(
                all.Count,
                long.Parse((await cluster.First.QueryAsync("SELECT count() FROM events_local", shardedDb, Ct)).Trim()) +
                long.Parse((await cluster.Second.QueryAsync("SELECT count() FROM events_local", shardedDb, Ct)).Trim()));
        }
        finally
        {
            await cluster.First.QueryAsync($"DROP DATABASE IF EXISTS {shardedDb}", ct: Ct);
            await cluster.Second.QueryAsync($"DROP DATABASE IF EXISTS {shardedDb}", ct: Ct);
            await cluster.First.QueryAsync($"DROP DATABASE IF EXISTS {singleDb}", ct: Ct);
        }
    }

    [Fact]
    public async Task A_cluster_the_server_does_not_know_is_refused_at_start()
    {
        var uri = ClickHouseStoreUri.Parse($"clickhouse://127.0.0.1:{cluster.First.HttpPort}/tally_nowhere?cluster=no_such_cluster&nodes=127.0.0.1:{cluster.Second.HttpPort}");

        try
        {
            var error = await Assert.ThrowsAsync<ClickHouseException>(() => ClickHouseEventStore.OpenAsync(uri, Ct));

            Assert.Contains("no_such_cluster", error.Message);
            Assert.Contains("remote_servers", error.Message);
        }
        finally
        {
            await cluster.First.QueryAsync("DROP DATABASE IF EXISTS tally_nowhere", ct: Ct);
            await cluster.Second.QueryAsync("DROP DATABASE IF EXISTS tally_nowhere", ct: Ct);
        }
    }

    [Fact]
    public async Task A_store_not_told_of_every_shard_is_refused_at_start()
    {
        var uri = ClickHouseStoreUri.Parse($"clickhouse://127.0.0.1:{cluster.First.HttpPort}/tally_half?cluster={TwoShardCluster.Name}");
        try
        {
            var error = await Assert.ThrowsAsync<ClickHouseException>(() => ClickHouseEventStore.OpenAsync(uri, Ct));

            Assert.Contains("2 shards", error.Message);
            Assert.Contains("nodes=", error.Message);
        }
        finally
        {
            await cluster.First.QueryAsync("DROP DATABASE IF EXISTS tally_half", ct: Ct);
        }
    }

    /// <summary>How many sessions reach each level of widget_open → results_shown → item_shortlisted within 30 minutes.</summary>
    private const string FunnelLevels = """
        SELECT level, count() FROM (
            SELECT session_id, windowFunnel(1800)(toUInt32(intDiv(ts, 1000)), name = 'widget_open', name = 'results_shown', name = 'item_shortlisted') AS level
            FROM events WHERE session_id != '' GROUP BY session_id
        ) GROUP BY level ORDER BY level
        """;

    private const string DistinctActors = """
        SELECT name, toString(day), uniqExact(session_id), uniqExact(anonymous_id), uniqExact(user_id), sum(count)
        FROM events GROUP BY name, day ORDER BY name, day
        """;

    private sealed record DataSet(IReadOnlyList<WriteBatch> Batches, IReadOnlyList<(string Actor, bool OptedOut, DateTimeOffset At)> OptOuts);

    /// <summary>
    /// Sessions of anonymous visitors over three days, some identified as users, plus server-side events with only a
    /// user id, aggregate-only events, quarantined events, and batches that repeat ids from earlier ones and their own.
    /// </summary>
    private static DataSet RandomData(Random random)
    {
        var events = new List<CollectedEvent>();
        var links = new List<IdentityLink>();
        for (var s = 0; s < 150; s++)
        {
            var anonymous = $"anon-{s}";
            var user = random.Next(3) == 0 ? $"user-{random.Next(60)}" : null;
            var at = Start.AddMilliseconds(random.NextInt64(3L * 24 * 3600 * 1000));
            if (user is not null) links.Add(new IdentityLink(anonymous, user, IdentityLink.Identify, at));
            for (var i = random.Next(1, 25); i > 0; i--)
            {
                at = at.AddMilliseconds(random.Next(1, 20 * 60 * 1000));
                events.Add(Event(random, $"s{s}-{i}", at, anonymous, user, $"session-{s}"));
            }
        }
        for (var i = 0; i < 200; i++)
            events.Add(Event(random, $"server-{i}", Start.AddMilliseconds(random.NextInt64(3L * 24 * 3600 * 1000)), null, $"user-{random.Next(60)}", null));
        for (var i = 0; i < 100; i++)
            events.Add(Event(random, $"counted-{i}", Start.AddMilliseconds(random.NextInt64(3L * 24 * 3600 * 1000)), null, null, null) with { AggregateOnly = true, Count = random.Next(1, 10) });
        events = events.OrderBy(_ => random.Next()).ToList();

        var chunks = events.Chunk(400).ToList();
        var batches = new List<WriteBatch>();
        for (var c = 0; c < chunks.Count; c++)
        {
            // Client retries: some events of earlier batches again, and one twice within the batch.
            var repeats = chunks.Take(c).SelectMany(x => x).OrderBy(_ => random.Next()).Take(random.Next(0, 30)).Append(chunks[c][0]);
            var quarantined = Enumerable.Range(0, random.Next(0, 4)).Select(q => Quarantined(random, $"{c}-{q}")).ToList();
            batches.Add(new WriteBatch([.. chunks[c], .. repeats], quarantined, links.Where((_, l) => l % chunks.Count == c).ToList()));
        }
        batches.Add(batches[0]);

        var optOuts = Enumerable.Range(0, 10).Select(i => ($"anon-{random.Next(150)}", random.Next(2) == 0, Start.AddMinutes(i))).ToList();
        return new DataSet(batches, optOuts);
    }

    private static CollectedEvent Event(Random random, string id, DateTimeOffset at, string? anonymous, string? user, string? session) => new()
    {
        EventId = $"evt-{id}",
        Name = Names[random.Next(Names.Length)],
        Timestamp = at,
        ReceivedAt = at.AddMilliseconds(random.Next(1, 3000)),
        AnonymousId = anonymous,
        UserId = user,
        SessionId = session,
        Source = Sources[random.Next(Sources.Length)],
        Environment = random.Next(10) == 0 ? "staging" : "production",
        PropertiesJson = $$"""{"rank":{{random.Next(1, 50)}},"category":"c{{random.Next(4)}}"}""",
    };

    private static QuarantinedEvent Quarantined(Random random, string id) => new()
    {
        Id = $"q-{id}",
        EventId = $"qe-{id}",
        EventName = Names[random.Next(Names.Length)],
        Reasons = [new Violation(random.Next(2) == 0 ? ViolationCodes.UnknownEvent : "missing_required", "why", null)],
        PayloadJson = """{"event":"x"}""",
        Source = "segment:/v1/batch",
        ReceivedAt = Start.AddMinutes(random.Next(1000)),
    };
}
