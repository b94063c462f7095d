using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Tally.Core.Governance;
using Tally.Core.Plans;
using Tally.Core.Privacy;
using Tally.Core.Storage;
using Tally.Server;
using Tally.Server.Configuration;
using Tally.Server.Governance;
using Tally.Storage.Sqlite;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Governance;

/// <summary>
/// GDPR deletion end to end on a real collector: events, an identify link and a quarantined event of one person go in
/// over HTTP and out to an export; <c>DELETE /v1/subjects</c> removes them from the store, its files and the export;
/// the same ids sent again are dropped and counted; the deletion is in the audit log. With both acknowledgement modes,
/// since with the spool a batch can be acknowledged before the deletion and shipped after it.
/// </summary>
public sealed class SubjectDeletionTests : IAsyncLifetime
{
    private const string DroppedSuppressed = "analytics_events_dropped_total{reason=\"suppressed\"}";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tally-e2e", "gdpr-" + Guid.NewGuid().ToString("N"));
    private readonly string _writeKey = "wk_" + Guid.NewGuid().ToString("N");
    private readonly string _analystKey = "ak_" + Guid.NewGuid().ToString("N");
    private readonly string _adminKey = "adm_" + Guid.NewGuid().ToString("N");
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(32);
    private TrackingPlan _plan = null!;
    private SqliteEventStore _store = null!;
    private WebApplication? _app;
    private HttpClient _http = null!;

    private string ExportRoot => Path.Combine(_dir, "export");

    /// <summary>Where the retention job archives raw events, in the export's layout (written here by the exporter).</summary>
    private string ArchiveRoot => Path.Combine(_dir, "archive");

    private string DatabasePath => Path.Combine(_dir, "tally.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _plan = PlanLoader.LoadFile(Tally.Core.Tests.Support.Repo.PathOf("plans", "aurora-concierge.yaml")).GetPlanOrThrow();
        return ValueTask.CompletedTask;
    }

    private async Task StartAsync(AckMode ack)
    {
        _store = new SqliteEventStore(DatabasePath);
        _app = await TallyServer.BuildAsync(new TallyServerOptions
        {
            Plan = _plan,
            Store = _store,
            HashSalt = _salt,
            Keys = [new ApiKey(_writeKey, Role.Writer, "production"), new ApiKey(_analystKey, Role.Analyst), new ApiKey(_adminKey, Role.Admin)],
            Urls = "http://127.0.0.1:0",
            Ack = ack,
            SpoolDirectory = Path.Combine(_dir, "spool"),
            ExportRoots = [ExportRoot, ArchiveRoot],
        }, _ => { });
        await _app.StartAsync(Ct);
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            _http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            await _store.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? body, string key, bool basic = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Authorization = basic ? TestServer.Basic(key) : TestServer.Bearer(key);
        using var response = await _http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonElement> IngestAsync(params JsonObject[] calls)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/batch", Some.Batch(calls), _writeKey, basic: true);
        Assert.True(status == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonObject Identify(string anonymousId, string userId) =>
        new() { ["type"] = "identify", ["messageId"] = Some.Id(), ["anonymousId"] = anonymousId, ["userId"] = userId };

    private static JsonObject Open(string anonymousId, string sessionId, string? userId = null)
    {
        var call = Some.Track("aurora_widget_open", new JsonObject { ["source"] = "launcher" }, sessionId, anonymousId);
        if (userId is not null) call["userId"] = userId;
        return call;
    }

    private async Task<Metrics> MetricsAsync() => await Metrics.ScrapeAsync(_http, Ct);

    /// <summary>Waits until the spool (when there is one) has shipped everything, so the store is what was acknowledged.</summary>
    private async Task SettleAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await MetricsAsync())["analytics_spool_depth"] > 0 && DateTime.UtcNow < until) await Task.Delay(50, Ct);
    }

    /// <summary>Every place a deleted id could still be: the store's events, quarantine and links, the database files, the collector's spool, and the export.</summary>
    private async Task<List<string>> PlacesHoldingAsync(string id)
    {
        var places = new List<string>();
        if (await _store.ReadEventsAsync(new EventQuery(), Ct).AnyAsync(e => e.AnonymousId == id || e.UserId == id || e.SessionId == id || e.PreviousId == id, Ct)) places.Add("events");
        if (await _store.ReadQuarantineAsync(Ct).AnyAsync(q => q.PayloadJson.Contains(id, StringComparison.Ordinal), Ct)) places.Add("quarantine");
        if ((await _store.ReadIdentityLinksAsync(Ct)).Any(l => l.FromId == id || l.ToUserId == id)) places.Add("identity links");
        var needle = Encoding.UTF8.GetBytes(id);
        foreach (var suffix in new[] { "", "-wal" })
        {
            if (!File.Exists(DatabasePath + suffix)) continue;
            await using var file = new FileStream(DatabasePath + suffix, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[file.Length];
            await file.ReadExactlyAsync(bytes, Ct);
            if (bytes.AsSpan().IndexOf(needle) >= 0) places.Add("file tally.db" + suffix);
        }

        var spool = Path.Combine(_dir, "spool");
        if (Directory.Exists(spool))
            foreach (var segment in Directory.GetFiles(spool))
                if ((await File.ReadAllBytesAsync(segment, Ct)).AsSpan().IndexOf(needle) >= 0) places.Add($"spool {Path.GetFileName(segment)}");

        foreach (var root in new[] { ExportRoot, ArchiveRoot })
        {
            if (!Directory.Exists(root)) continue;
            foreach (var part in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
            {
                await using var gz = new GZipStream(File.OpenRead(part), CompressionMode.Decompress);
                using var reader = new StreamReader(gz, Encoding.UTF8);
                if ((await reader.ReadToEndAsync(Ct)).Contains(id, StringComparison.Ordinal)) places.Add($"{Path.GetFileName(root)} {Path.GetRelativePath(root, part)}");
            }
        }

        return places;
    }

    [Theory]
    [InlineData(AckMode.Store)]
    [InlineData(AckMode.Spool)]
    public async Task A_deleted_subject_is_gone_from_store_files_and_export_and_its_later_events_are_dropped_and_counted(AckMode ack)
    {
        await StartAsync(ack);
        var (anonA, userA, sessA1, sessA2) = (Some.Id("anonA"), Some.Id("userA"), Some.Id("sessA"), Some.Id("sessA"));
        var (anonB, userB, sessB) = (Some.Id("anonB"), Some.Id("userB"), Some.Id("sessB"));
        await IngestAsync(Open(anonA, sessA1), Open(anonA, sessA1), Identify(anonA, userA), Open(anonA, sessA2, userA), Open(anonB, sessB), Identify(anonB, userB));
        var unknown = Some.Track("no_such_event", null, sessA1, anonA);
        Assert.Equal(1, (await IngestAsync(unknown)).GetProperty("quarantined").GetInt32());
        await SettleAsync();
        foreach (var root in new[] { ExportRoot, ArchiveRoot })
            await new EventExporter(_store, _plan).ExportAsync(root, DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(1), ct: Ct);
        var idsOfA = new[] { anonA, userA, sessA1, sessA2 };
        foreach (var id in idsOfA) Assert.NotEmpty(await PlacesHoldingAsync(id));

        var (status, body) = await SendAsync(HttpMethod.Delete, "/v1/subjects", $$"""{"userId":"{{userA}}"}""", _adminKey);

        Assert.True(status == HttpStatusCode.OK, body);
        var receipt = JsonDocument.Parse(body).RootElement;
        // Three widget opens and the identify call; the quarantined event; the identify link; the exported rows.
        Assert.Equal(("user", 4, 4L, 1L, 1L), (receipt.GetProperty("kind").GetString(), receipt.GetProperty("mergedIds").GetInt32(),
            receipt.GetProperty("events").GetInt64(), receipt.GetProperty("quarantined").GetInt64(), receipt.GetProperty("identityLinks").GetInt64()));
        // Each of the four events once in the export and once in the archive.
        Assert.Equal(8, receipt.GetProperty("exportRows").GetInt64());
        Assert.InRange(receipt.GetProperty("exportFiles").GetInt32(), 2, 4);
        var hash = new PropertyHasher(_salt).Hash(userA);
        Assert.Equal(hash, receipt.GetProperty("subjectHash").GetString());
        Assert.DoesNotContain(userA, body);
        foreach (var id in idsOfA) Assert.Empty(await PlacesHoldingAsync(id));
        foreach (var id in new[] { anonB, userB, sessB })
        {
            var places = await PlacesHoldingAsync(id);
            Assert.Contains("events", places);
            Assert.Contains(places, p => p.StartsWith("export ", StringComparison.Ordinal));
            Assert.Contains(places, p => p.StartsWith("archive ", StringComparison.Ordinal));
        }

        // The same ids again: every event carrying one is dropped and counted, and nothing of them is stored.
        var before = (await MetricsAsync())[DroppedSuppressed];
        var again = await IngestAsync(Open(anonA, Some.Id("sess")), Open(Some.Id("anon"), sessA1), Open(Some.Id("anon"), Some.Id("sess"), userA), Identify(anonA, Some.Id("user")));
        Assert.Equal((0, 4), (again.GetProperty("accepted").GetInt32(), again.GetProperty("dropped").GetInt32()));
        await SettleAsync();
        Assert.Equal(4, (await MetricsAsync())[DroppedSuppressed] - before);
        foreach (var id in idsOfA) Assert.Empty(await PlacesHoldingAsync(id));

        // A repeat finds nothing left: 200 with zero counts.
        var (repeatStatus, repeatBody) = await SendAsync(HttpMethod.Delete, "/v1/subjects", $$"""{"userId":"{{userA}}"}""", _adminKey);
        Assert.Equal(HttpStatusCode.OK, repeatStatus);
        var repeat = JsonDocument.Parse(repeatBody).RootElement;
        foreach (var place in new[] { "events", "quarantined", "identityLinks", "optOuts", "exportRows" }) Assert.Equal(0, repeat.GetProperty(place).GetInt64());

        // Both deletions are in the audit log, by the admin key's label, with the subject as its hash only.
        var (auditStatus, auditBody) = await SendAsync(HttpMethod.Get, "/v1/audit?action=subjects.delete", null, _adminKey);
        Assert.True(auditStatus == HttpStatusCode.OK, auditBody);
        Assert.DoesNotContain(userA, auditBody);
        var entries = JsonDocument.Parse(auditBody).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal((new ApiKey(_adminKey, Role.Admin).Label, "admin", $"user:{hash}", "ok"),
            (e.GetProperty("actor").GetString(), e.GetProperty("role").GetString(), e.GetProperty("target").GetString(), e.GetProperty("outcome").GetString())));
        Assert.Contains("events=4", entries[1].GetProperty("detail").GetString());
        Assert.Contains("events=0", entries[0].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_subject_deleted_by_another_process_is_dropped_by_a_running_collector_within_seconds()
    {
        await StartAsync(AckMode.Store);
        var (anon, session) = (Some.Id("anon"), Some.Id("sess"));
        Assert.Equal(1, (await IngestAsync(Open(anon, session))).GetProperty("accepted").GetInt32());

        // What `tally forget` does: its own store on the same file, its own suppression list with the deployment's salt.
        async Task<long> ForgetAsync()
        {
            await using var other = new SqliteEventStore(DatabasePath);
            await other.InitializeAsync(Ct);
            var receipt = await new SubjectDeletion(other, new Tally.Core.Pipeline.SuppressionList(new PropertyHasher(_salt)), []).DeleteAsync(
                new Subject(SubjectKind.Anonymous, anon), Ct);
            return receipt.Events;
        }
        Assert.Equal(1, await ForgetAsync());

        // The collector learns of it from the store: within its refresh interval the id's events are dropped and counted.
        var before = (await MetricsAsync())[DroppedSuppressed];
        var acceptedMeanwhile = 0;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var answer = await IngestAsync(Open(anon, Some.Id("sess")));
            if (answer.GetProperty("dropped").GetInt32() == 1) break;
            acceptedMeanwhile += answer.GetProperty("accepted").GetInt32();
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "a running collector still accepts events of a subject deleted by another process");
            await Task.Delay(250, Ct);
        }
        Assert.True((await MetricsAsync())[DroppedSuppressed] - before >= 1);

        // What it accepted before it knew is stored; forgetting again (idempotent) removes exactly that, and no row is left.
        // (The database file's bytes are not checked here: another process's checkpoint cannot overwrite pages the
        // running collector still reads, so old page images go at the collector's next checkpoint; the deletion through
        // the API above, in the collector's own process, checks the bytes.)
        Assert.Equal(acceptedMeanwhile, await ForgetAsync());
        Assert.DoesNotContain(await PlacesHoldingAsync(anon), p => !p.StartsWith("file ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_admins_delete_bad_requests_name_the_problem_and_refusals_are_audited_as_denied()
    {
        await StartAsync(AckMode.Store);
        var userId = Some.Id("user");

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "/v1/subjects", $$"""{"userId":"{{userId}}"}""", _analystKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Delete, "/v1/subjects", $$"""{"userId":"{{userId}}"}""", "not-a-key")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/v1/audit", null, _analystKey)).Status);
        foreach (var (bad, problem) in new[]
        {
            ("{}", "exactly one of userId, anonymousId, sessionId"),
            ("""{"userId":"a","sessionId":"b"}""", "not userId and sessionId"),
            ("""{"userId":""}""", "'userId' must be a non-empty string"),
            ("""{"userId":7}""", "'userId' must be a non-empty string"),
            ("""{"email":"x@example.com"}""", "unknown field(s) 'email'"),
            ("not json", "the body is not JSON"),
        })
        {
            var (status, body) = await SendAsync(HttpMethod.Delete, "/v1/subjects", bad, _adminKey);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            var error = JsonDocument.Parse(body).RootElement;
            Assert.Equal("bad_subject", error.GetProperty("error").GetString());
            Assert.Contains(problem, error.GetProperty("message").GetString());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/v1/audit?limit=0", null, _adminKey)).Status);
        var (_, auditBody) = await SendAsync(HttpMethod.Get, "/v1/audit?limit=100", null, _adminKey);
        var entries = JsonDocument.Parse(auditBody).RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), Role: e.GetProperty("role").GetString(), Outcome: e.GetProperty("outcome").GetString())).ToList();
        Assert.Contains(("subjects.delete", "analyst", "denied"), entries);
        Assert.Contains(("subjects.delete", "none", "denied"), entries);
        Assert.Contains(("audit.read", "analyst", "denied"), entries);
        Assert.Equal(6, entries.Count(e => e == ("subjects.delete", "admin", "error")));
        Assert.Contains(("audit.read", "admin", "error"), entries);
        Assert.DoesNotContain(userId, auditBody);
    }

    [Fact]
    public async Task Reading_per_actor_data_is_audited_and_ingestion_is_not()
    {
        await StartAsync(AckMode.Store);
        await IngestAsync(Open(Some.Id("anon"), Some.Id("sess")));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/v1/quarantine", null, _analystKey)).Status);
        await SendAsync(HttpMethod.Get, "/v1/journeys", null, _analystKey);
        await SendAsync(HttpMethod.Get, "/v1/kpis", null, _analystKey);

        var lines = await ((IAuditLog)_store).ReadAuditAsync(new Tally.Core.Governance.AuditQuery(), Ct);
        Assert.Equal(["query.journeys", "quarantine.list"], lines.Select(l => l.Action));
        Assert.All(lines, l => Assert.Equal((new ApiKey(_analystKey, Role.Analyst).Label, "analyst"), (l.Actor, l.Role)));
        Assert.Equal(("/v1/quarantine", "ok"), (lines[1].Target, lines[1].Outcome));
    }
}
