using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Governance;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.Server.Governance;
using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Retention;

/// <summary>
/// The retention run on a real store under the seed plans: aurora (raw 180 days, aggregates forever), auterity
/// (categories up to 7 years, each with an archive period) and minimal-telemetry (aggregate-only events, roll-ups 180
/// days). Every expected figure is a brute-force pass over the generated events and the plan's own periods.
/// </summary>
public abstract class RetentionRunContract(IEventStoreFactory factory) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _archive = new();
    private AuditedStore? _store;

    private AuditedStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    private string ArchiveRoot => _archive.Path;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = new AuditedStore(await factory.CreateAsync());

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await factory.DisposeAsync();
        _archive.Dispose();
        GC.SuppressFinalize(this);
    }

    private static TrackingPlan Plan(string file) => PlanLoader.LoadFile(Repo.PathOf("plans", file)).GetPlanOrThrow();

    /// <summary>Events of every name of the plan, at ages spread over 0 to 8 years, in each of its environments.</summary>
    private async Task<List<CollectedEvent>> WriteAsync(TrackingPlan plan, int perEvent)
    {
        var r = new Random(20261122);
        var events = new List<CollectedEvent>();
        foreach (var def in plan.Events)
        {
            for (var i = 0; i < perEvent; i++)
            {
                var at = Now.AddMinutes(-r.NextInt64(0, 8L * 365 * 1440)).AddMilliseconds(r.Next(1000));
                events.Add(new CollectedEvent
                {
                    EventId = $"evt_{def.Name}_{i}_{r.Next():x}",
                    Name = def.Name,
                    Timestamp = at,
                    ReceivedAt = at.AddSeconds(1),
                    SessionId = $"s{r.Next(40)}",
                    Environment = plan.Environments[r.Next(plan.Environments.Count)],
                    Source = "web",
                    AggregateOnly = def.AggregateOnly,
                    PropertiesJson = $$"""{"n":{{i}}}""",
                });
            }
        }

        foreach (var chunk in events.Chunk(500)) await Store.WriteAsync(new WriteBatch(chunk, [], []), Ct);
        return events;
    }

    /// <summary>The plan's periods applied by hand: archive before deleting, and whatever is deleted was archived.</summary>
    private static (DateTimeOffset? Archive, DateTimeOffset? Delete) Cutoffs(TrackingPlan plan, string name, DateTimeOffset now)
    {
        var def = plan.FindEvent(name)!;
        DateTimeOffset? delete = plan.RetentionOf(def) is { } r && r != PlanDuration.Forever ? now - r : null;
        DateTimeOffset? archive = plan.ArchiveAfterOf(def) is { } a && a != PlanDuration.Forever ? now - a : null;
        if (archive is not null && delete > archive) archive = delete;
        return (archive, delete);
    }

    private static bool Archived(TrackingPlan plan, CollectedEvent e, DateTimeOffset now) =>
        !e.AggregateOnly && Cutoffs(plan, e.Name, now).Archive is { } a && e.Timestamp < a;

    private static bool Deleted(TrackingPlan plan, CollectedEvent e, DateTimeOffset now) =>
        !e.AggregateOnly && Cutoffs(plan, e.Name, now).Delete is { } d && e.Timestamp < d;

    private List<string> ArchiveLines() =>
        Directory.Exists(Path.Combine(ArchiveRoot, "events"))
            ? Directory.GetFiles(Path.Combine(ArchiveRoot, "events"), "part-*.json.gz", SearchOption.AllDirectories).SelectMany(EventArchive.ReadLines).ToList()
            : [];

    private RetentionRun Run(TrackingPlan plan) => new(Store, plan) { ArchiveDirectory = ArchiveRoot };

    [Theory]
    [InlineData("aurora-concierge.yaml")]
    [InlineData("auterity.yaml")]
    [InlineData("minimal-telemetry.yaml")]
    public async Task A_run_archives_and_deletes_what_the_plan_says_and_nothing_else(string file)
    {
        var plan = Plan(file);
        var events = await WriteAsync(plan, perEvent: 12);

        var report = await Run(plan).RunAsync(Now, dryRun: false, "test", "admin", Ct);

        foreach (var def in plan.Events.Where(d => !d.AggregateOnly))
        {
            var of = events.Where(e => e.Name == def.Name).ToList();
            var line = report.Events.SingleOrDefault(r => r.Event == def.Name);
            Assert.Equal(of.Count(e => Archived(plan, e, Now)), line?.Archived ?? 0);
            Assert.Equal(of.Count(e => Deleted(plan, e, Now)), line?.Deleted ?? 0);
        }

        var kept = events.Where(e => !e.AggregateOnly && !Deleted(plan, e, Now)).Select(e => e.EventId).Order(StringComparer.Ordinal).ToList();
        var left = await Store.ReadEventsAsync(new EventQuery(), Ct).Select(e => e.EventId).ToListAsync(Ct);
        Assert.Equal(kept, left.Order(StringComparer.Ordinal));

        // The archive holds exactly the archived events, each once, as an export would write them, in its hour's partition.
        var expected = events.Where(e => Archived(plan, e, Now)).ToList();
        Assert.Equal(expected.Select(e => ExportRow.Write(e, plan)).Order(StringComparer.Ordinal), ArchiveLines().Order(StringComparer.Ordinal));
        foreach (var e in expected)
        {
            var dir = Path.Combine(ArchiveRoot, ExportPartition.Of(e.Environment, e.Timestamp).RelativeDirectory);
            Assert.Contains(ExportRow.Write(e, plan), Directory.GetFiles(dir, "part-*.json.gz").SelectMany(EventArchive.ReadLines));
        }

        // Roll-ups follow the aggregate retention: brute force over (day, name, environment, source).
        var rows = events.Select(e => (Day: DateOnly.FromDateTime(e.Timestamp.UtcDateTime), e.Name, e.Environment, e.Source)).Distinct().ToList();
        var rollupCutoff = plan.Defaults.AggregateRetention == PlanDuration.Forever ? (DateOnly?)null : DateOnly.FromDateTime((Now - plan.Defaults.AggregateRetention).UtcDateTime);
        Assert.Equal(rollupCutoff is { } c ? rows.Count(r => r.Day < c) : 0, report.RollupRowsDeleted);
        var rollups = await Store.ReadRollupsAsync(new RollupQuery(), Ct);
        Assert.Equal(events.Where(e => rollupCutoff is not { } c2 || DateOnly.FromDateTime(e.Timestamp.UtcDateTime) >= c2).Sum(e => e.Count), rollups.Sum(r => r.Count));

        var audit = Assert.Single(Store.Entries);
        Assert.Equal(("retention.apply", "ok", "test", plan.Name), (audit.Action, audit.Outcome, audit.Actor, audit.Target));
        using var detail = JsonDocument.Parse(audit.Detail);
        Assert.Equal(report.Deleted, detail.RootElement.GetProperty("deleted").EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.Equal(report.Archived, detail.RootElement.GetProperty("archived").EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.Equal(report.RollupRowsDeleted, detail.RootElement.GetProperty("rollup_rows_deleted").GetInt64());
    }

    [Theory]
    [InlineData("auterity.yaml")]
    [InlineData("minimal-telemetry.yaml")]
    public async Task A_dry_run_counts_what_a_real_run_then_does_and_changes_nothing(string file)
    {
        var plan = Plan(file);
        var events = await WriteAsync(plan, perEvent: 8);
        var rollupsBefore = await Store.ReadRollupsAsync(new RollupQuery(), Ct);

        var dry = await Run(plan).RunAsync(Now, dryRun: true, "test", "admin", Ct);

        Assert.True(dry.DryRun);
        Assert.Equal(events.Count(e => !e.AggregateOnly), await Store.CountEventsAsync(new EventQuery(), Ct));
        Assert.Equal(rollupsBefore.Count, (await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Count);
        Assert.Empty(ArchiveLines());
        Assert.False(File.Exists(Path.Combine(ArchiveRoot, EventArchive.StateFileName)));

        var real = await Run(plan).RunAsync(Now, dryRun: false, "test", "admin", Ct);

        Assert.Equal(real.Events.Select(e => (e.Event, e.Archived, e.Deleted)), dry.Events.Select(e => (e.Event, e.Archived, e.Deleted)));
        Assert.Equal(real.RollupRowsDeleted, dry.RollupRowsDeleted);
        Assert.True(real.Deleted + real.RollupRowsDeleted > 0, "the data set must give the run something to do");
        Assert.Equal(2, Store.Entries.Count);
    }

    [Fact]
    public async Task Running_again_archives_and_deletes_nothing_twice()
    {
        var plan = Plan("auterity.yaml");
        var events = await WriteAsync(plan, perEvent: 8);
        var first = await Run(plan).RunAsync(Now, dryRun: false, "test", "admin", Ct);
        var archived = ArchiveLines().Count;
        Assert.Equal(first.Archived, archived);

        var again = await Run(plan).RunAsync(Now, dryRun: false, "test", "admin", Ct);

        Assert.Equal(0, again.Archived);
        Assert.Equal(0, again.Deleted);
        Assert.Equal(archived, ArchiveLines().Count);

        // A run cut short after writing its parts but before recording how far it got: the ids in the parts keep
        // the next run from writing them again.
        File.Delete(Path.Combine(ArchiveRoot, EventArchive.StateFileName));
        var afterLoss = await Run(plan).RunAsync(Now, dryRun: false, "test", "admin", Ct);
        Assert.Equal(0, afterLoss.Archived);
        Assert.Equal(archived, ArchiveLines().Count);

        // A month later, only what crossed its archive period since is added; every archived event is there once.
        var later = Now.AddDays(30);
        var next = await Run(plan).RunAsync(later, dryRun: false, "test", "admin", Ct);
        var expected = events.Where(e => Archived(plan, e, later)).Select(e => ExportRow.Write(e, plan)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, ArchiveLines().Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count - archived, next.Archived);
    }

    [Fact]
    public async Task An_event_that_arrives_after_the_archive_passed_its_time_is_archived_before_it_is_deleted()
    {
        var plan = Plan("auterity.yaml");
        // system.* events: archived after 30 days, deleted after 90.
        var name = plan.Events.First(e => e.Category == "system_events").Name;
        await Run(plan).RunAsync(Now, dryRun: false, "test", "admin", Ct);
        var late = new CollectedEvent { EventId = "late-one", Name = name, Timestamp = Now.AddDays(-60), ReceivedAt = Now, Environment = "production" };
        await Store.WriteAsync(WriteBatch.Of(late), Ct);

        // 40 days on, it is past retention: it must reach the archive before it leaves the store.
        var report = await Run(plan).RunAsync(Now.AddDays(40), dryRun: false, "test", "admin", Ct);

        Assert.Equal([ExportRow.Write(late, plan)], ArchiveLines());
        Assert.Equal((1, 1), (report.Events.Single(e => e.Event == name).Archived, report.Events.Single(e => e.Event == name).Deleted));
        Assert.Equal(0, await Store.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task A_plan_that_archives_refuses_to_run_without_an_archive_and_says_so_in_the_audit_log()
    {
        var plan = Plan("auterity.yaml");
        var events = await WriteAsync(plan, perEvent: 2);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new RetentionRun(Store, plan).RunAsync(Now, dryRun: false, "test", "admin", Ct));

        Assert.Contains("archive", error.Message);
        Assert.Equal(events.Count, await Store.CountEventsAsync(new EventQuery(), Ct));
        Assert.Equal("error", Assert.Single(Store.Entries).Outcome);
    }
}
