using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Server;
using Tally.Server.Configuration;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>
/// A real collector on loopback: its own port (bound to port 0, read back after start), its own data directory
/// holding a real SQLite file, its own hashing salt and keys, and every log line captured. The directory is
/// removed on dispose. It can be stopped and started again on the same directory, salt and keys, as a restart
/// of <c>tally serve</c> would.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private WebApplication? _app;

    private TestServer(TrackingPlan plan, string dataDirectory)
    {
        Plan = plan;
        DataDirectory = dataDirectory;
    }

    public TrackingPlan Plan { get; }
    public string DataDirectory { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "tally.db");
    public byte[] Salt { get; } = RandomNumberGenerator.GetBytes(32);
    public string WriteKey { get; } = "wk_" + Guid.NewGuid().ToString("N");
    public string AnalystKey { get; } = "ak_" + Guid.NewGuid().ToString("N");
    public string ViewerKey { get; } = "vk_" + Guid.NewGuid().ToString("N");
    public string AdminKey { get; } = "adm_" + Guid.NewGuid().ToString("N");
    /// <summary>A writer key bound to the staging environment.</summary>
    public string StagingWriteKey { get; } = "wks_" + Guid.NewGuid().ToString("N");
    public InMemoryLoggerProvider Logs { get; } = new();

    /// <summary>The running server's store; tests read it directly to see what a request left behind.</summary>
    public SqliteEventStore Store { get; private set; } = null!;

    /// <summary>A client for the running server, with no credentials of its own.</summary>
    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public bool Running => _app is not null;

    /// <summary>Every route the running app maps, as its endpoint data sources list them.</summary>
    public IReadOnlyList<Microsoft.AspNetCore.Routing.RouteEndpoint> Routes =>
        ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)(_app ?? throw new InvalidOperationException("the server is not running")))
            .DataSources.SelectMany(d => d.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().ToList();

    /// <summary>Starts a server enforcing the plan file at <paramref name="planPath"/> (a seed plan or a temp copy).</summary>
    public static async Task<TestServer> StartAsync(string planPath)
    {
        var loaded = PlanLoader.LoadFile(planPath);
        if (loaded.HasErrors || loaded.Plan is null)
            throw new InvalidOperationException($"plan {planPath} does not load: {string.Join("; ", loaded.Diagnostics)}");
        var dir = Path.Combine(Path.GetTempPath(), "tally-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var server = new TestServer(loaded.Plan, dir);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same data directory, salt and keys. Only valid when stopped.</summary>
    public async Task StartAgainAsync()
    {
        if (_app is not null) throw new InvalidOperationException("the server is running");
        Store = new SqliteEventStore(DatabasePath);
        var options = new TallyServerOptions
        {
            Plan = Plan,
            Store = Store,
            HashSalt = Salt,
            Keys =
            [
                new ApiKey(WriteKey, Role.Writer, "production"),
                new ApiKey(StagingWriteKey, Role.Writer, "staging"),
                new ApiKey(AnalystKey, Role.Analyst),
                new ApiKey(ViewerKey, Role.Viewer),
                new ApiKey(AdminKey, Role.Admin),
            ],
            Urls = "http://127.0.0.1:0",
        };
        var app = await TallyServer.BuildAsync(options, logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        await app.StartAsync();
        _app = app;
        BaseAddress = new Uri(app.Urls.Single());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Stops the server and closes its store; the data directory stays for inspection or a restart.</summary>
    public async Task StopAsync()
    {
        if (_app is null) return;
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        await Store.DisposeAsync();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (Windows) must not fail the test; the OS temp cleaner gets it.
        }
    }

    /// <summary>
    /// Posts <paramref name="body"/> to <paramref name="path"/> with the writer key as HTTP Basic user name (as the
    /// Segment SDKs send it) and a fresh <c>x-request-id</c>, by which <see cref="EventsOfAsync"/> finds what it stored.
    /// </summary>
    public Task<Posted> PostAsync(string path, string body, string? contentType = "application/json", string? key = null) =>
        SendAsync(path, new ByteArrayContent(Encoding.UTF8.GetBytes(body)), contentType, key ?? WriteKey);

    /// <summary>Posts raw bytes with whatever headers <paramref name="configure"/> sets; no credentials unless it adds them.</summary>
    public async Task<Posted> SendAsync(string path, HttpContent content, string? contentType, string? basicKey, Action<HttpRequestMessage>? configure = null)
    {
        var requestId = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (basicKey is not null) request.Headers.Authorization = Basic(basicKey);
        request.Headers.Add("x-request-id", requestId);
        configure?.Invoke(request);
        using var response = await Http.SendAsync(request);
        return new Posted(response.StatusCode, await response.Content.ReadAsStringAsync(), requestId, response.Headers, response.Content.Headers);
    }

    public static AuthenticationHeaderValue Basic(string user) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":")));

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    /// <summary>Events stored from the request with this id.</summary>
    public async Task<List<CollectedEvent>> EventsOfAsync(string requestId) =>
        (await AllEventsAsync()).Where(e => e.RequestId == requestId).ToList();

    public async Task<List<CollectedEvent>> AllEventsAsync()
    {
        var list = new List<CollectedEvent>();
        await foreach (var e in Store.ReadEventsAsync(new EventQuery())) list.Add(e);
        return list;
    }

    /// <summary>Quarantined events from the request with this id.</summary>
    public async Task<List<QuarantinedEvent>> QuarantineOfAsync(string requestId) =>
        (await AllQuarantineAsync()).Where(q => q.RequestId == requestId).ToList();

    public async Task<List<QuarantinedEvent>> AllQuarantineAsync()
    {
        var list = new List<QuarantinedEvent>();
        await foreach (var q in Store.ReadQuarantineAsync()) list.Add(q);
        return list;
    }

    public async Task<IReadOnlyList<IdentityLink>> LinksAsync() => await Store.ReadIdentityLinksAsync();

    public async Task<string> GetStringAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = Bearer(bearer);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
