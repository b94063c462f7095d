using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Server;
using Tally.Server.Configuration;
using Tally.Storage.ClickHouse;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Governance;

public enum StoreKind
{
    Sqlite,
    ClickHouse,
}

/// <summary>
/// The real server in-process on either store: a SQLite file in a temporary folder, or a database of its own on the
/// ClickHouse server named by <c>TALLY_CLICKHOUSE_URL</c> (which <c>scripts/test</c> starts and sets; without it the
/// ClickHouse cases fail, never skip). Acknowledges after the store commit, so a 200 means the rows are readable. It can
/// be restarted on the same storage, and <see cref="DumpAsync"/> reads back every table in full, to scan for strings.
/// </summary>
public sealed class StoreServer : IAsyncDisposable
{
    private static readonly HttpClient ClickHouseHttp = new() { Timeout = TimeSpan.FromSeconds(60) };

    private readonly TrackingPlan _plan;
    private readonly string _directory = Directory.CreateTempSubdirectory("tally-store-server-").FullName;
    private readonly string _database = $"tally_e2e_{Guid.NewGuid():N}";
    private WebApplication? _app;

    private StoreServer(StoreKind kind, TrackingPlan plan)
    {
        Kind = kind;
        _plan = plan;
    }

    public StoreKind Kind { get; }
    public byte[] Salt { get; } = RandomNumberGenerator.GetBytes(32);
    public string WriteKey { get; } = "wk_" + Guid.NewGuid().ToString("N");
    public IEventStore Store { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    private string SqlitePath => Path.Combine(_directory, "tally.db");

    /// <summary>The store as <c>tally … --store</c> names it.</summary>
    public string StoreUri => Kind == StoreKind.Sqlite ? $"sqlite://{SqlitePath}" : $"clickhouse://{ClickHouseUrl.Host}:{ClickHouseUrl.Port}/{_database}";

    public static async Task<StoreServer> StartAsync(StoreKind kind, string planPath)
    {
        var loaded = PlanLoader.LoadFile(planPath);
        if (loaded.HasErrors || loaded.Plan is null) throw new InvalidOperationException($"plan {planPath} does not load");
        var server = new StoreServer(kind, loaded.Plan);
        await server.StartAgainAsync();
        return server;
    }

    private static Uri ClickHouseUrl =>
        Uri.TryCreate(Environment.GetEnvironmentVariable("TALLY_CLICKHOUSE_URL"), UriKind.Absolute, out var url)
            ? url
            : throw new InvalidOperationException("TALLY_CLICKHOUSE_URL is not set: run scripts/test, or start clickhouse-server and set it to its HTTP address.");

    private async Task StartAgainAsync()
    {
        Store = Kind == StoreKind.Sqlite ? new SqliteEventStore(SqlitePath) : new ClickHouseEventStore(ClickHouseUrl, _database);
        var options = new TallyServerOptions
        {
            Plan = _plan,
            Store = Store,
            HashSalt = Salt,
            Keys = [new ApiKey(WriteKey, Role.Writer, _plan.Environments.Contains("production") ? "production" : null)],
            Urls = "http://127.0.0.1:0",
            Ack = AckMode.Store,
        };
        _app = await TallyServer.BuildAsync(options, logging => { });
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Stops the server and closes the store, then starts both again on the same storage, salt and key.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>Posts a body with the write key as HTTP Basic user name, plus whatever headers <paramref name="headers"/> sets.</summary>
    public async Task<Tally.EndToEnd.Tests.Support.Posted> PostAsync(string path, string body, Action<HttpRequestHeaders>? headers = null, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes((key ?? WriteKey) + ":")));
        headers?.Invoke(request.Headers);
        using var response = await Http.SendAsync(request);
        return new Tally.EndToEnd.Tests.Support.Posted(response.StatusCode, await response.Content.ReadAsStringAsync(), "", response.Headers, response.Content.Headers);
    }

    public async Task<List<CollectedEvent>> EventsAsync()
    {
        var list = new List<CollectedEvent>();
        await foreach (var e in Store.ReadEventsAsync(new EventQuery())) list.Add(e);
        return list;
    }

    /// <summary>
    /// Every table of the store, every row, as text (table name, then one line per row), plus, for SQLite, the raw
    /// bytes of the database file and its WAL: what a scan for strings that must never be stored reads.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, string> Tables, byte[] Files)> DumpAsync()
    {
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Kind == StoreKind.Sqlite)
        {
            await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = SqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            {
                await connection.OpenAsync();
                var names = new List<string>();
                await using (var list = connection.CreateCommand())
                {
                    list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                    await using var reader = await list.ExecuteReaderAsync();
                    while (await reader.ReadAsync()) names.Add(reader.GetString(0));
                }
                foreach (var name in names)
                {
                    await using var select = connection.CreateCommand();
                    select.CommandText = $"SELECT * FROM \"{name}\"";
                    await using var reader = await select.ExecuteReaderAsync();
                    var text = new StringBuilder();
                    while (await reader.ReadAsync())
                    {
                        for (var i = 0; i < reader.FieldCount; i++)
                            text.Append(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) is byte[] b ? Encoding.UTF8.GetString(b) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\t');
                        text.Append('\n');
                    }
                    tables[name] = text.ToString();
                }
            }
            var files = new List<byte>();
            foreach (var file in Directory.GetFiles(_directory, "tally.db*")) files.AddRange(await File.ReadAllBytesAsync(file));
            return (tables, files.ToArray());
        }

        var tableNames = (await ClickHouseAsync($"SELECT name FROM system.tables WHERE database = '{_database}' AND engine NOT LIKE '%View'"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in tableNames) tables[name] = await ClickHouseAsync($"SELECT * FROM {_database}.{name} FORMAT TabSeparated");
        return (tables, []);
    }

    private static async Task<string> ClickHouseAsync(string sql)
    {
        using var response = await ClickHouseHttp.PostAsync(ClickHouseUrl, new StringContent(sql, Encoding.UTF8));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"ClickHouse answered {(int)response.StatusCode} to '{sql}': {body}");
    }

    private async Task StopAsync()
    {
        if (_app is null) return;
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        await Store.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Kind == StoreKind.ClickHouse)
        {
            try { await ClickHouseAsync($"DROP DATABASE IF EXISTS {_database}"); }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException) { /* a leftover test database is harmless */ }
        }
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { /* the OS temp cleaner gets it */ }
    }
}
