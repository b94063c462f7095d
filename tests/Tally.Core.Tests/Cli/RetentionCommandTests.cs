using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.Storage.Sqlite;

namespace Tally.Core.Tests.Cli;

/// <summary><c>tally retention apply</c> on the embedded store under the auterity plan (categories with archive periods).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RetentionCommandTests : IDisposable
{
    private const string Now = "2026-11-22T10:00:00Z";
    private static readonly DateTimeOffset At = DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture);

    private readonly TempDirectory _dir = new();

    private string Data => Path.Combine(_dir.Path, "data");

    private static string PlanFile => Repo.PathOf("plans", "auterity.yaml");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    /// <summary>system.* events are archived after 30 days and deleted after 90; security.* archived after 2 years.</summary>
    private async Task<List<CollectedEvent>> WriteAsync()
    {
        var plan = SeedPlans.Load("auterity.yaml");
        var system = plan.Events.First(e => e.Category == "system_events").Name;
        var security = plan.Events.First(e => e.Category == "security_events").Name;
        int[] ageDays = [1, 20, 45, 100, 400, 800, 3000];
        var events = ageDays.SelectMany(d => new[] { system, security }.Select(n => new CollectedEvent
        {
            EventId = $"{n}-{d}",
            Name = n,
            Timestamp = At.AddDays(-d),
            ReceivedAt = At.AddDays(-d),
            Environment = "production",
        })).ToList();
        await using var store = await SqliteEventStore.OpenAsync(Path.Combine(Data, "tally.db"), Ct);
        await store.WriteAsync(new WriteBatch(events, [], []), Ct);
        return events;
    }

    private async Task<long> CountAsync()
    {
        await using var store = await SqliteEventStore.OpenAsync(Path.Combine(Data, "tally.db"), Ct);
        return await store.CountEventsAsync(new EventQuery(), Ct);
    }

    [Fact]
    public async Task Apply_archives_and_deletes_per_event_and_reports_it_as_json()
    {
        var events = await WriteAsync();

        var run = await CapturedRun.Tally("retention", "apply", "--plan", PlanFile, "--data", Data, "--now", Now, "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var report = JsonDocument.Parse(run.Out);
        var byEvent = report.RootElement.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("event").GetString()!);
        var system = events[0].Name;
        var security = events[1].Name;
        // system: older than 90 days are deleted (100, 400, 800, 3000), older than 30 archived (those and 45).
        Assert.Equal(5, byEvent[system].GetProperty("archived").GetInt64());
        Assert.Equal(4, byEvent[system].GetProperty("deleted").GetInt64());
        // security: kept 7 years, archived after 2: the 800- and 3000-day-old ones are archived, the 3000-day-old one deleted.
        Assert.Equal(2, byEvent[security].GetProperty("archived").GetInt64());
        Assert.Equal(1, byEvent[security].GetProperty("deleted").GetInt64());
        Assert.Equal(events.Count - 5, await CountAsync());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Data, "archive", "events"), "part-*.json.gz", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Dry_run_prints_the_counts_and_changes_nothing()
    {
        var events = await WriteAsync();

        var run = await CapturedRun.Tally("retention", "apply", "--plan", PlanFile, "--data", Data, "--now", Now, "--dry-run");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("dry run", run.Out);
        Assert.Contains("7 raw events would be archived", run.Out);
        Assert.Contains("5 would be deleted", run.Out);
        Assert.Equal(events.Count, await CountAsync());
        Assert.False(Directory.Exists(Path.Combine(Data, "archive", "events")));
    }

    [Fact]
    public async Task A_bad_now_is_refused_with_exit_code_2()
    {
        var run = await CapturedRun.Tally("retention", "apply", "--plan", PlanFile, "--data", Data, "--now", "yesterday-ish");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--now", run.Error);
    }
}
