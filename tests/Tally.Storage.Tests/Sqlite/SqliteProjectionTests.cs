using Microsoft.Data.Sqlite;
using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.Storage.Sqlite;
using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite store's columnar projection (docs/architecture.md): answers equal the engines' while events and
/// links keep arriving after it was built, after rows are deleted and it is invalidated, and when it gives up a
/// property with too many values and the query falls back to the table.
/// </summary>
public sealed class SqliteProjectionTests : IAsyncLifetime
{
    private readonly SqliteStoreFactory _factory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("aurora-concierge.yaml")]
    [InlineData("skillforge.yaml")]
    public async Task Answers_follow_events_and_links_written_after_the_projection_was_built(string planFile)
    {
        var plan = Load(planFile);
        var data = AnalyticsDataSet.For(plan, seed: 17 + planFile.Length, count: 400);
        // Aggregate-only events have no row to project (their roll-ups are the contract suite's concern).
        var rows = data.Events.Where(e => !e.AggregateOnly).ToList();
        await using var store = await SqliteEventStore.OpenAsync(_factory.DatabasePath, Ct);
        var written = new List<CollectedEvent>();
        var links = new List<IdentityLink>();
        var third = rows.Count / 3;
        // Links come last, after queries built the projection over events that the links re-attribute.
        var commits = new[]
        {
            new WriteBatch(rows[..third], [], []),
            new WriteBatch(rows[third..(2 * third)], [], []),
            new WriteBatch(rows[(2 * third)..], [], data.Links),
        };
        foreach (var commit in commits)
        {
            await store.WriteAsync(commit, Ct);
            written.AddRange(commit.Events);
            links.AddRange(commit.Links);
            var events = written.Where(e => e.Environment == "production").Select(AnalyticsEvent.From).ToList();
            await SameAsEngines(store, plan, events, new IdentityGraph(links), $"after {written.Count} events and {links.Count} links");
        }
        Assert.Equal(rows.Count, store.ProjectedEvents);
    }

    [Fact]
    public async Task Deleted_rows_leave_the_answers_once_the_projection_is_invalidated()
    {
        var plan = Load("aurora-concierge.yaml");
        var data = AnalyticsDataSet.For(plan, seed: 5, count: 400);
        var rows = data.Events.Where(e => !e.AggregateOnly).ToList();
        await using var store = await SqliteEventStore.OpenAsync(_factory.DatabasePath, Ct);
        await store.WriteAsync(new WriteBatch(rows, [], data.Links), Ct);
        var identities = new IdentityGraph(data.Links);
        await SameAsEngines(store, plan, data.Production.ToList(), identities, "before the deletion");

        // What a subject deletion does: rows of one actor go, then the projection is told.
        using (var connection = new SqliteConnection($"Data Source={store.Path}"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM events WHERE session_id = 's1' OR anonymous_id = 'a2'";
            Assert.True(delete.ExecuteNonQuery() > 0);
        }
        store.InvalidateAnalyticsProjection();

        var remaining = rows.Where(e => e.SessionId != "s1" && e.AnonymousId != "a2").ToList();
        await SameAsEngines(store, plan, remaining.Where(e => e.Environment == "production").Select(AnalyticsEvent.From).ToList(), identities, "after the deletion");
        Assert.Equal(remaining.Count, store.ProjectedEvents);

        // New rows after a rebuild are caught up as before.
        var late = rows.Where(e => e.SessionId == "s1").Select(e => e with { EventId = e.EventId + "-late" }).ToList();
        await store.WriteAsync(new WriteBatch(late, [], []), Ct);
        remaining.AddRange(late);
        await SameAsEngines(store, plan, remaining.Where(e => e.Environment == "production").Select(AnalyticsEvent.From).ToList(), identities, "after new rows");
    }

    [Fact]
    public async Task Erasure_and_retention_deletes_leave_the_projection_answers()
    {
        await using var store = await SqliteEventStore.OpenAsync(_factory.DatabasePath, Ct);
        var at = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var events = new List<CollectedEvent>();
        for (var i = 0; i < 6; i++)
        {
            events.Add(Event($"v{i}", "page_viewed", at.AddHours(i), $"s{i}", "{}"));
            events.Add(Event($"o{i}", "order_placed", at.AddHours(i).AddMinutes(1), $"s{i}", "{}"));
        }
        await store.WriteAsync(new WriteBatch(events, [], []), Ct);
        var query = new FunnelQuery([EventFilter.Of("page_viewed"), EventFilter.Of("order_placed")], TimeSpan.FromMinutes(30), CountingUnit.Session,
            TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)));
        Assert.Equal(6, (await store.FunnelAsync(query, Ct)).Steps[1].Actors);

        await store.EraseIdsAsync(["s0", "s1"], Ct);
        Assert.Equal(4, (await store.FunnelAsync(query, Ct)).Steps[1].Actors);

        // Orders before 13:00 expire: sessions s2 (12:01) goes, s3..s5 stay.
        await store.DeleteEventsBeforeAsync([new EventCutoff("order_placed", at.AddHours(3))], Ct);
        var after = await store.FunnelAsync(query, Ct);
        Assert.Equal(4, after.Steps[0].Actors);
        Assert.Equal(3, after.Steps[1].Actors);
    }

    [Fact]
    public async Task A_property_with_too_many_values_is_answered_from_the_table()
    {
        await using var store = await SqliteEventStore.OpenAsync(_factory.DatabasePath, Ct);
        store.Projection.AlwaysKept = 4;
        var at = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var events = new List<CollectedEvent>();
        for (var i = 0; i < 40; i++)
        {
            // order_id is unique per event (dropped); plan takes two values (kept).
            events.Add(Event($"o{i}", "order_placed", at.AddMinutes(i), $"s{i % 7}", $$"""{"order_id":"id-{{i}}","plan":"{{(i % 3 == 0 ? "pro" : "free")}}"}"""));
            events.Add(Event($"v{i}", "page_viewed", at.AddMinutes(i - 1), $"s{i % 7}", "{}"));
        }
        await store.WriteAsync(new WriteBatch(events, [], []), Ct);
        var range = TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3));
        var rows = events.Select(AnalyticsEvent.From).ToList();

        var byOrder = new FunnelQuery([EventFilter.Of("page_viewed"), EventFilter.Of("order_placed", ("order_id", "id-5"))], TimeSpan.FromMinutes(30), CountingUnit.Session, range);
        var byPlan = new FunnelQuery([EventFilter.Of("page_viewed"), EventFilter.Of("order_placed", ("plan", "pro"))], TimeSpan.FromMinutes(30), CountingUnit.Session, range, BreakdownBy: "plan");
        var brokenDown = byPlan with { Steps = [EventFilter.Of("order_placed"), EventFilter.Of("page_viewed")], BreakdownBy = "order_id" };
        foreach (var query in new[] { byOrder, byPlan, brokenDown })
            SameAnswer.Assert(FunnelEngine.Run(rows, IdentityGraph.Empty, query), await store.FunnelAsync(query, Ct), $"funnel {string.Join(" > ", query.Steps)} by {query.BreakdownBy}");

        var kpi = new KpiDefinition { Name = "orders", Kind = KpiKind.CountPerDay, Event = EventFilter.Of("order_placed"), GroupBy = ["order_id"] };
        SameAnswer.Assert(KpiEngine.Run(rows, IdentityGraph.Empty, kpi, range), await store.KpiAsync(kpi, range, Ct), "KPI grouped by a dropped property");
        // Only session s5 viewed a page and then placed order id-5.
        Assert.Equal(1, (await store.FunnelAsync(byOrder, Ct)).Steps[1].Actors);
        Assert.True(store.Projection.Read(v => v.Partitions("production", ["order_placed"])[0].Column("order_id")!.Dropped));
        Assert.False(store.Projection.Read(v => v.Partitions("production", ["order_placed"])[0].Column("plan")!.Dropped));
    }

    [Fact]
    public async Task Touches_at_one_instant_credit_the_ordinal_smallest_value()
    {
        await using var store = await SqliteEventStore.OpenAsync(_factory.DatabasePath, Ct);
        var at = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var events = new List<CollectedEvent>
        {
            Event("t1", "intent_detected", at, "s1", """{"intent":"ring"}"""),
            Event("t2", "intent_detected", at, "s1", """{"intent":"care"}"""),
            Event("t3", "intent_detected", at, "s1", """{"intent":"zebra"}"""),
            Event("c1", "shortlisted", at.AddMinutes(1), "s1", "{}"),
            // A later touch at the conversion's instant counts; one after it does not.
            Event("t4", "intent_detected", at.AddMinutes(5), "s2", """{"intent":"watch"}"""),
            Event("c2", "shortlisted", at.AddMinutes(5), "s2", "{}"),
            Event("t5", "intent_detected", at.AddMinutes(6), "s2", """{"intent":"after"}"""),
            Event("c3", "shortlisted", at.AddMinutes(7), "s3", "{}"),
        };
        await store.WriteAsync(new WriteBatch(events, [], []), Ct);
        var range = TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3));
        var rule = new AttributionDefinition
        {
            Name = "intent", Touch = EventFilter.Of("intent_detected"), CreditProperty = "intent",
            Conversions = [EventFilter.Of("shortlisted")], Window = TimeSpan.FromMinutes(30), Scope = CountingUnit.Session,
        };

        var result = await store.AttributionAsync(rule, range, Ct);

        SameAnswer.Assert(AttributionEngine.Run(events.Select(AnalyticsEvent.From), IdentityGraph.Empty, rule, range), result, "attribution with ties");
        Assert.Equal([new AttributionCredit("care", 1), new AttributionCredit("watch", 1)], result.Credits);
        Assert.Equal(1, result.Unattributed);
    }

    private static CollectedEvent Event(string id, string name, DateTimeOffset at, string session, string properties) =>
        new() { EventId = id, Name = name, Timestamp = at, ReceivedAt = at, Environment = "production", SessionId = session, PropertiesJson = properties };

    /// <summary>Every funnel (by every unit), journey, KPI and attribution rule of the plan, projection and table path against the engines.</summary>
    private static async Task SameAsEngines(SqliteEventStore store, TrackingPlan plan, List<AnalyticsEvent> events, IdentityGraph identities, string when)
    {
        foreach (var useProjection in new[] { true, false })
        {
            store.UseAnalyticsProjection = useProjection;
            var how = (useProjection ? "projection, " : "table, ") + when;
            foreach (var range in AnalyticsDataSet.Ranges)
            {
                foreach (var funnel in plan.Funnels)
                {
                    foreach (var unit in new[] { CountingUnit.Session, CountingUnit.User, CountingUnit.Anonymous })
                    {
                        var query = FunnelQuery.From(funnel, range) with { Unit = unit };
                        SameAnswer.Assert(FunnelEngine.Run(events, identities, query), await store.FunnelAsync(query, Ct), $"funnel {funnel.Name} by {unit} over {range} ({how})");
                    }
                }
                foreach (var journey in plan.Journeys)
                    SameAnswer.Assert(JourneyEngine.Run(events, identities, journey, range), await store.JourneyAsync(journey, range, Ct), $"journey {journey.Name} ({how})");
                // Ratios also by every actor unit: the projection counts distinct actors per day and over the range.
                var kpis = plan.Kpis.Concat(plan.Kpis.Where(k => k.Kind is KpiKind.Ratio or KpiKind.RateBy)
                    .SelectMany(k => new[] { CountingUnit.Session, CountingUnit.User, CountingUnit.Anonymous }.Select(u => k with { Unit = u, Name = $"{k.Name} by {u}" })));
                foreach (var kpi in kpis)
                    SameAnswer.Assert(KpiEngine.Run(events, identities, kpi, range), await store.KpiAsync(kpi, range, Ct), $"KPI {kpi.Name} ({how})");
                foreach (var attribution in plan.Attributions)
                    SameAnswer.Assert(AttributionEngine.Run(events, identities, attribution, range), await store.AttributionAsync(attribution, range, Ct), $"attribution {attribution.Name} ({how})");
            }
        }
        store.UseAnalyticsProjection = true;
    }

    private static TrackingPlan Load(string planFile)
    {
        var loaded = PlanLoader.LoadFile(Repo.PathOf("plans", planFile));
        return loaded.Plan ?? throw new InvalidOperationException($"{planFile} does not load");
    }
}
