using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Tally.Core.Events;
using Tally.Core.Governance;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Server;
using Tally.Server.Configuration;
using Tally.Server.Governance;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Governance;

/// <summary>The server's side of retention: the admin endpoint, the scheduled retention job and the scheduled export.</summary>
public sealed class RetentionServerTests : IAsyncLifetime
{
    private const string AdminKey = "admin_key_for_retention";
    private const string AnalystKey = "analyst_key_for_retention";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tally-retention-");
    private readonly TrackingPlan _plan = PlanLoader.LoadFile(Tally.Core.Tests.Support.Repo.PathOf("plans", "aurora-concierge.yaml")).GetPlanOrThrow();
    private SqliteEventStore _store = null!;
    private WebApplication? _app;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Archive => Path.Combine(_dir.FullName, "archive");

    private string Exports => Path.Combine(_dir.FullName, "exports");

    public async ValueTask InitializeAsync() => _store = await SqliteEventStore.OpenAsync(Path.Combine(_dir.FullName, "tally.db"), Ct);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            _http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _store.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private async Task StartAsync(Func<TallyServerOptions, TallyServerOptions> configure)
    {
        var options = configure(new TallyServerOptions
        {
            Plan = _plan,
            Store = _store,
            HashSalt = "retention-test-salt"u8.ToArray(),
            Keys = [new ApiKey(AdminKey, Role.Admin), new ApiKey(AnalystKey, Role.Analyst)],
            Urls = "http://127.0.0.1:0",
            ArchiveDirectory = Archive,
            RetentionEvery = null,
        });
        _app = await TallyServer.BuildAsync(options, _ => { });
        await _app.StartAsync(Ct);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    /// <summary>Aurora keeps raw events 180 days: 3 of these 5 are past it.</summary>
    private async Task<List<CollectedEvent>> WriteAsync(DateTimeOffset now)
    {
        var name = _plan.Events[0].Name;
        var events = new[] { 1, 100, 181, 200, 900 }.Select(d => new CollectedEvent
        {
            EventId = $"evt-{d}",
            Name = name,
            Timestamp = now.AddDays(-d),
            ReceivedAt = now.AddDays(-d),
            Environment = _plan.Environments[0],
        }).ToList();
        await _store.WriteAsync(new WriteBatch(events, [], []), Ct);
        return events;
    }

    private async Task<HttpResponseMessage> ApplyAsync(string? key, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/retention/apply" + query);
        if (key is not null) request.Headers.Authorization = new("Bearer", key);
        return await _http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Only_admin_keys_may_apply_retention()
    {
        await StartAsync(o => o);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ApplyAsync(null, "")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApplyAsync(AnalystKey, "")).StatusCode);

        var denied = Assert.Single(await _store.ReadAuditAsync(new AuditQuery(Action: RetentionRun.AuditAction), Ct));
        Assert.Equal(("denied", "anal…", "analyst"), (denied.Outcome, denied.Actor, denied.Role));
    }

    [Fact]
    public async Task The_endpoint_reports_a_dry_run_without_changing_anything_then_applies()
    {
        await StartAsync(o => o);
        var events = await WriteAsync(DateTimeOffset.UtcNow);

        using var dry = await ApplyAsync(AdminKey, "?dryRun=true");
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        using (var report = JsonDocument.Parse(await dry.Content.ReadAsStringAsync(Ct)))
        {
            Assert.True(report.RootElement.GetProperty("dryRun").GetBoolean());
            var line = report.RootElement.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("event").GetString() == events[0].Name);
            Assert.Equal(3, line.GetProperty("deleted").GetInt64());
        }

        Assert.Equal(events.Count, await _store.CountEventsAsync(new EventQuery(), Ct));

        using var real = await ApplyAsync(AdminKey, "?dryRun=false");
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal(2, await _store.CountEventsAsync(new EventQuery(), Ct));

        // Both runs are in the audit log under the admin key's label, newest first, with their counts.
        var lines = await _store.ReadAuditAsync(new AuditQuery(Action: RetentionRun.AuditAction), Ct);
        Assert.Equal([("ok", "admi…"), ("ok", "admi…")], lines.Select(l => (l.Outcome, l.Actor)));
        Assert.Contains("\"dry_run\":false", lines[0].Detail);
        Assert.Contains($"\"{events[0].Name}\":3", lines[0].Detail);
    }

    [Fact]
    public async Task The_scheduled_job_applies_retention_without_being_asked()
    {
        await WriteAsync(DateTimeOffset.UtcNow);

        await StartAsync(o => o with { RetentionEvery = TimeSpan.FromHours(1), RetentionFirstRunAfter = TimeSpan.FromMilliseconds(50) });

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await _store.CountEventsAsync(new EventQuery(), Ct) != 2 && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
        Assert.Equal(2, await _store.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task The_scheduled_export_writes_the_last_completed_hour()
    {
        var hour = DateTimeOffset.UtcNow;
        hour = new DateTimeOffset(hour.UtcDateTime.Date.AddHours(hour.UtcDateTime.Hour), TimeSpan.Zero);
        var e = new CollectedEvent { EventId = "in-last-hour", Name = _plan.Events[0].Name, Timestamp = hour.AddMinutes(-30), ReceivedAt = hour, Environment = _plan.Environments[0] };
        await _store.WriteAsync(WriteBatch.Of(e), Ct);

        await StartAsync(o => o with { ExportDirectory = Exports, ExportEvery = TimeSpan.FromHours(1) });

        var deadline = DateTime.UtcNow.AddSeconds(20);
        string[] files = [];
        while (files.Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
            files = Directory.Exists(Exports) ? Directory.GetFiles(Exports, "part-*.json.gz", SearchOption.AllDirectories) : [];
        }

        var file = Assert.Single(files);
        Assert.Contains(Path.Combine("dt=" + e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"hr={e.Timestamp.UtcDateTime.Hour:D2}"), file);
        Assert.Contains("in-last-hour", Assert.Single(EventArchive.ReadLines(file)));
    }

    [Theory]
    [InlineData("2026-11-22T10:17:00Z", null, 1, "2026-11-22T08:00:00Z", "2026-11-22T10:00:00Z")]
    [InlineData("2026-11-22T10:17:00Z", "2026-11-22T07:00:00Z", 1, "2026-11-22T06:00:00Z", "2026-11-22T10:00:00Z")]
    [InlineData("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z", 1, "2026-11-22T08:00:00Z", "2026-11-22T10:00:00Z")]
    [InlineData("2026-11-22T10:17:00Z", null, 6, "2026-11-22T03:00:00Z", "2026-11-22T10:00:00Z")]
    public void An_export_window_is_the_completed_hours_since_the_last_run_plus_one_for_late_events(string now, string? until, int everyHours, string from, string to)
    {
        static DateTimeOffset T(string s) => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

        var window = ScheduledExportService.Window(T(now), until is null ? null : T(until), TimeSpan.FromHours(everyHours));

        Assert.Equal((T(from), T(to)), window);
    }
}
