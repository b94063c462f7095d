using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Tally.Cli.Demo;
using Tally.Core.Analytics;
using Tally.Core.Demo;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally demo [--plan plans/aurora-concierge.yaml] [--sessions N] [--seed S]</c>: starts the real collector
/// in-process on a free loopback port, sends it realistic traffic for the plan (from the plan's
/// <c>NAME.traffic.yaml</c>) over HTTP, and prints what the collector did and every funnel, KPI, attribution and
/// journey of the plan. Exit 0 on success, 1 for a plan or profile that does not load, 2 when the collector fails.
/// </summary>
public static class DemoCommand
{
    public static Command Build()
    {
        var plan = new Option<FileInfo>("--plan")
        {
            Description = "The tracking plan to demonstrate.",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("plans", "aurora-concierge.yaml")),
        };
        var profile = new Option<FileInfo?>("--profile") { Description = "Traffic profile (default: PLAN.traffic.yaml beside the plan)." };
        var sessions = new Option<int?>("--sessions") { Description = "Flows (sessions, visits, tickets) to simulate (default: the profile's, 2000 for Aurora)." };
        var seed = new Option<long>("--seed") { Description = "Random seed: the same seed sends the same traffic.", DefaultValueFactory = _ => 42 };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Keep the store in this (new or empty) directory instead of a temporary one." };
        var cmd = new Command("demo", "Start the collector, send it realistic traffic for a plan, and show what it did and what the plan measures.\n" +
            "Example: tally demo --plan plans/skillforge.yaml --sessions 500 --seed 7");
        cmd.Options.Add(plan);
        cmd.Options.Add(profile);
        cmd.Options.Add(sessions);
        cmd.Options.Add(seed);
        cmd.Options.Add(data);
        cmd.SetAction(async (parse, ct) => await RunAsync(
            parse.GetValue(plan)!, parse.GetValue(profile), parse.GetValue(sessions), parse.GetValue(seed), parse.GetValue(data), ct));
        return cmd;
    }

    private static IAnsiConsole CreateConsole()
    {
        // Bound to the current Console.Out (tests and pipes swap it); a pipe gets room for whole rows instead of 80 columns.
        var piped = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = piped ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = piped ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = piped ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (piped) console.Profile.Width = 140;
        return console;
    }

    public static async Task<int> RunAsync(FileInfo planFile, FileInfo? profileFile, int? sessions, long seed, DirectoryInfo? dataDir, CancellationToken ct)
    {
        if (!planFile.Exists)
        {
            System.Console.Error.WriteLine($"tally demo: no plan at {planFile.FullName}; run from the repository root or pass --plan");
            return 1;
        }
        var loaded = PlanLoader.LoadFile(planFile.FullName);
        if (loaded.HasErrors || loaded.Plan is not { } plan)
        {
            foreach (var d in loaded.Diagnostics) System.Console.Error.WriteLine(d);
            return 1;
        }
        var profilePath = profileFile?.FullName ?? TrafficProfileLoader.PathFor(planFile.FullName);
        var profileLoad = TrafficProfileLoader.LoadFile(profilePath);
        var findings = profileLoad.Profile is { } p ? profileLoad.Diagnostics.Concat(TrafficProfileCheck.Check(p, plan)).ToList() : [.. profileLoad.Diagnostics];
        if (profileLoad.Profile is not { } profile || findings.Any(d => d.Severity == Severity.Error))
        {
            foreach (var d in findings) System.Console.Error.WriteLine(d);
            return 1;
        }
        if (sessions is < 1)
        {
            System.Console.Error.WriteLine("tally demo: --sessions must be at least 1");
            return 1;
        }

        string directory;
        var temporary = dataDir is null;
        if (dataDir is null)
        {
            directory = Directory.CreateTempSubdirectory("tally-demo-").FullName;
        }
        else
        {
            directory = dataDir.FullName;
            if (File.Exists(Path.Combine(directory, "tally.db")))
            {
                System.Console.Error.WriteLine($"tally demo: {directory} already holds a store; the demo needs a new or empty directory");
                return 1;
            }
            Directory.CreateDirectory(directory);
        }

        var console = CreateConsole();
        var report = new DemoReport(console);
        try
        {
            var flows = sessions ?? profile.Sessions;
            report.Header(plan, flows, seed, Path.GetRelativePath(Environment.CurrentDirectory, profilePath));
            var traffic = new TrafficGenerator(plan, profile).Generate(seed, DateTimeOffset.UtcNow, flows);
            await using var collector = await DemoCollector.StartAsync(plan, directory, ct);
            report.Collector(collector.BaseAddress, collector.Endpoint, temporary ? "SQLite in a temporary directory" : Path.Combine(directory, "tally.db"));

            var summary = await SendAsync(console, collector, traffic, ct);
            report.Summary(summary);

            var (events, links) = await ReadBackAsync(plan, collector.Store, ct);
            var results = DemoAnalytics.Compute(plan, events, links, DemoAnalytics.RangeOf(events, DateTimeOffset.UtcNow));
            report.Analytics(plan, results, aggregateOnly: plan.Events.Any(e => e.AggregateOnly));
            return results.Failures.Count == 0 ? 0 : 2;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            System.Console.Error.WriteLine($"tally demo: {e.Message}");
            return 2;
        }
        finally
        {
            if (temporary) TryDelete(directory);
        }
    }

    private static async Task<DemoSummary> SendAsync(IAnsiConsole console, DemoCollector collector, GeneratedTraffic traffic, CancellationToken ct)
    {
        long accepted = 0, duplicates = 0, quarantined = 0, dropped = 0;
        var requests = 0;
        var clock = Stopwatch.StartNew();
        var batches = DemoCollector.Batches(traffic.Events).ToList();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"sending {traffic.Events.Count:N0} events", maxValue: traffic.Events.Count);
                // One batch at a time, in time order: an opt-out must reach the collector before the events it silences.
                foreach (var batch in batches)
                {
                    var answer = await collector.SendAsync(batch, ct);
                    requests++;
                    accepted += answer.Accepted;
                    duplicates += answer.Duplicates;
                    quarantined += answer.Quarantined;
                    dropped += answer.Dropped;
                    task.Increment(batch.Count);
                }
            });
        clock.Stop();

        var listing = await collector.QuarantineAsync(ct);
        var counters = await collector.CountersAsync(ct);
        var (stored, held) = await StoredDocumentsAsync(collector.Store, ct);
        return new DemoSummary
        {
            Endpoint = collector.Endpoint,
            Sent = traffic.Events.Count,
            Requests = requests,
            SendTime = clock.Elapsed,
            Invalid = traffic.Count(EventIntent.Invalid),
            AfterOptOut = traffic.Count(EventIntent.AfterOptOut),
            OptOuts = traffic.Events.Count(e => e.OptOut),
            WithPersonalData = traffic.Events.Count(e => e.Pii is not null),
            Accepted = accepted,
            Duplicates = duplicates,
            Quarantined = quarantined,
            Dropped = dropped,
            DroppedByReason = counters.Where(c => c.Key.Metric == "analytics_events_dropped_total").ToDictionary(c => c.Key.Reason, c => c.Value),
            FieldsRemoved = counters.Where(c => c.Key.Metric == "analytics_fields_dropped_total").ToDictionary(c => c.Key.Reason, c => c.Value),
            QuarantineGroups = listing.Groups,
            PlantedValues = traffic.PlantedValues.Count,
            PlantedInEvents = PlantedScan.Find(stored, traffic.PlantedValues),
            PlantedInQuarantine = PlantedScan.Find(held, traffic.PlantedValues),
        };
    }

    /// <summary>Every stored property set and every quarantine payload, to look for raw personal data in.</summary>
    private static async Task<(List<string> Events, List<string> Quarantine)> StoredDocumentsAsync(IEventStore store, CancellationToken ct)
    {
        var events = new List<string>();
        var quarantine = new List<string>();
        await foreach (var e in store.ReadEventsAsync(new EventQuery(), ct)) events.Add(e.PropertiesJson);
        await foreach (var q in store.ReadQuarantineAsync(ct)) quarantine.Add(q.PayloadJson);
        return (events, quarantine);
    }

    /// <summary>
    /// The stored events as analytics reads them. Until the analytics store is merged this reads raw rows (and the
    /// roll-ups of aggregate-only events) and leaves the computing to the reference engines.
    /// </summary>
    private static async Task<(List<AnalyticsEvent> Events, IReadOnlyList<Core.Events.IdentityLink> Links)> ReadBackAsync(TrackingPlan plan, IEventStore store, CancellationToken ct)
    {
        var events = new List<AnalyticsEvent>();
        await foreach (var e in store.ReadEventsAsync(new EventQuery(), ct)) events.Add(AnalyticsEvent.From(e));
        events.AddRange(DemoAnalytics.FromRollups(plan, await store.ReadRollupsAsync(new RollupQuery(), ct)));
        return (events, await store.ReadIdentityLinksAsync(ct));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is not worth failing the demo over; the OS cleans its temp folder.
        }
    }
}
