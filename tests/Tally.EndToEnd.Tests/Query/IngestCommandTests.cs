using System.Text.Json.Nodes;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Query;

/// <summary>
/// <c>tally ingest</c> loads files through the collector's pipeline: valid events stored, duplicates recognised,
/// invalid and unreadable lines quarantined, opted-out users' events dropped, old timestamps clamped unless <c>--backfill</c>.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class IngestCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tally-ingest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Data => Path.Combine(_dir, "data");

    [Fact]
    public async Task A_file_of_valid_invalid_and_duplicate_lines_is_stored_quarantined_and_deduplicated()
    {
        var user = Some.Id("usr");
        var quitter = Some.Id("usr");
        var valid = Some.SkillForge("assessment_completed", user);
        valid["assessment_id"] = "a-1";
        valid["readiness_score"] = 72;
        var invalid = Some.SkillForge("assessment_completed", user); // no assessment_id nor readiness_score
        var optOut = Some.SkillForge("settings_tracking_opt_out", quitter, optOut: true);
        var afterOptOut = Some.SkillForge("session_started", quitter);
        var file = Write("events.ndjson", Some.Ndjson(
            valid.ToJsonString(), valid.ToJsonString(), invalid.ToJsonString(), "{\"event_name\": \"session_started\", oops",
            optOut.ToJsonString(), afterOptOut.ToJsonString()));

        var run = await CapturedRun.Tally("ingest", file, "--plan", Repo.PathOf("plans", "skillforge.yaml"), "--data", Data);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["events.ndjson: accepted 2, duplicates 1, quarantined 2, dropped 1"], run.OutLines);
        await using var store = await SqliteEventStore.OpenAsync(Path.Combine(Data, "tally.db"), TestContext.Current.CancellationToken);
        var stored = await store.ReadEventsAsync(new EventQuery(), TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new[] { valid, optOut }.Select(e => e["event_id"]!.GetValue<string>()).Order(), stored.Select(e => e.EventId).Order());
        Assert.All(stored, e => Assert.Equal("file:events.ndjson", e.Source));
        var quarantined = await store.ReadQuarantineAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["malformed_json", ViolationCodes.MissingProperty], quarantined.SelectMany(q => q.Reasons.Select(r => r.Code)).Distinct().Order());
        Assert.Equal(new[] { quitter, optOut["anonymous_id"]!.GetValue<string>() }.Order(), (await store.ReadOptedOutAsync(TestContext.Current.CancellationToken)).Order());
    }

    [Fact]
    public async Task Running_the_same_file_again_stores_nothing_twice()
    {
        var e = Some.SkillForge("session_started", Some.Id("usr"));
        var file = Write("again.ndjson", Some.Ndjson(e.ToJsonString()));
        string[] args = ["ingest", file, "--plan", Repo.PathOf("plans", "skillforge.yaml"), "--data", Data];

        var first = await CapturedRun.Tally(args);
        var second = await CapturedRun.Tally(args);

        Assert.Equal(["again.ndjson: accepted 1, duplicates 0, quarantined 0, dropped 0"], first.OutLines);
        Assert.Equal(["again.ndjson: accepted 0, duplicates 1, quarantined 0, dropped 0"], second.OutLines);
    }

    [Fact]
    public async Task A_segment_batch_file_keeps_old_timestamps_only_with_backfill()
    {
        var old = DateTimeOffset.UtcNow.AddYears(-2);
        JsonObject Opened(string session)
        {
            var e = Some.WidgetOpen(session);
            e["timestamp"] = Some.Iso(old);
            return e;
        }
        var plain = Write("plain.json", Some.Batch(Opened("s-plain"), Some.WidgetOpen("s-now")));
        var backfill = Write("backfill.json", Some.Batch(Opened("s-backfill"), Opened("s-backfill-2"), Opened("s-backfill-3")));
        var plan = Repo.PathOf("plans", "aurora-concierge.yaml");

        var withoutFlag = await CapturedRun.Tally("ingest", plain, "--plan", plan, "--data", Data);
        var withFlag = await CapturedRun.Tally("ingest", backfill, "--plan", plan, "--data", Data, "--backfill", "--batch-size", "2");

        Assert.True(withoutFlag.ExitCode == 0 && withFlag.ExitCode == 0, withoutFlag.Error + withFlag.Error);
        Assert.Equal(["plain.json: accepted 2, duplicates 0, quarantined 0, dropped 0"], withoutFlag.OutLines);
        Assert.Equal(["backfill.json: accepted 3, duplicates 0, quarantined 0, dropped 0"], withFlag.OutLines);
        await using var store = await SqliteEventStore.OpenAsync(Path.Combine(Data, "tally.db"), TestContext.Current.CancellationToken);
        var stored = (await store.ReadEventsAsync(new EventQuery(), TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken))
            .ToDictionary(e => e.SessionId!);
        Assert.True(stored["s-plain"].Timestamp > DateTimeOffset.UtcNow.AddDays(-1), "without --backfill a two-year-old timestamp is clamped to receipt");
        Assert.NotNull(stored["s-plain"].OriginalTimestamp);
        foreach (var session in new[] { "s-backfill", "s-backfill-2", "s-backfill-3" })
        {
            Assert.Equal(old.ToUnixTimeMilliseconds(), stored[session].Timestamp.ToUnixTimeMilliseconds());
            Assert.Null(stored[session].OriginalTimestamp);
        }
    }

    [Fact]
    public async Task A_missing_file_exits_2_and_stores_nothing()
    {
        var run = await CapturedRun.Tally("ingest", Path.Combine(_dir, "nope.ndjson"), "--plan", Repo.PathOf("plans", "skillforge.yaml"), "--data", Data);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no such file", run.Error);
        Assert.False(File.Exists(Path.Combine(Data, "tally.db")));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
