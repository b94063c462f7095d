using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Tally.Core.Plans;
using Tally.Server;
using Tally.Server.Configuration;
using Tally.Storage.Sqlite;

// Ingest load generator: posts realistic Segment batches for the Aurora plan over loopback with N concurrent
// connections, through the whole pipeline including the durable store commit, then single-event requests at a
// fixed rate. Usage:
//   dotnet run -c Release --project bench/Tally.Bench.Ingest -- [--seconds 10] [--connections 8] [--batch 100] [--rate 2000] [--ack store|spool]
//       server and load generator in this one process (they share the cores)
//   dotnet run -c Release --project bench/Tally.Bench.Ingest -- --serve 5080 [--ack store|spool]
//       only the collector (temporary SQLite store, key "bench"), until Ctrl+C: run the load from another process
//   dotnet run -c Release --project bench/Tally.Bench.Ingest -- --url http://127.0.0.1:5080 [--key bench] [--phases batches,singles]
//       only the load, against any running collector (e.g. `tally serve --store clickhouse://...`)
//   dotnet run -c Release --project bench/Tally.Bench.Ingest -- --profile 1      (stage by stage, no HTTP; `--profile store`: the store only;
//       `--profile dedup [--ids N]`: the writer's deduplication set alone, N random ids added in windows of 1,000)
var argsMap = ParseArgs(args);
var seconds = int.Parse(argsMap.GetValueOrDefault("seconds", "10"));
var connections = int.Parse(argsMap.GetValueOrDefault("connections", "8"));
var batchSize = int.Parse(argsMap.GetValueOrDefault("batch", "100"));
var rate = int.Parse(argsMap.GetValueOrDefault("rate", "2000"));
var ack = argsMap.GetValueOrDefault("ack", "store") == "spool" ? AckMode.Spool : AckMode.Store;
var planPath = argsMap.GetValueOrDefault("plan", FindRepoFile("plans/aurora-concierge.yaml"));
var key = argsMap.GetValueOrDefault("key", "bench");
var phases = argsMap.GetValueOrDefault("phases", "batches,singles").Split(',', StringSplitOptions.TrimEntries);

if (argsMap.GetValueOrDefault("profile") == "dedup")
{
    DedupProfile.Run(int.Parse(argsMap.GetValueOrDefault("ids", "25000000")));
    return 0;
}

if (argsMap.ContainsKey("profile"))
{
    Console.WriteLine("# Stage profile (single thread, no HTTP)");
    await StageProfile.RunAsync(PlanLoader.LoadFile(planPath).GetPlanOrThrow(), storeOnly: argsMap["profile"] == "store");
    return 0;
}

Uri baseUri;
DirectoryInfo? dir = null;
SqliteEventStore? store = null;
Microsoft.AspNetCore.Builder.WebApplication? app = null;
if (argsMap.TryGetValue("url", out var url))
{
    baseUri = new Uri(url);
    Console.WriteLine($"# Tally ingest benchmark  {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z  {Environment.ProcessorCount} cores  load generator only, collector at {baseUri}");
    Console.WriteLine($"{connections} connections, batches of {batchSize}, {seconds}s; load average {LoadAverage()}");
}
else
{
    dir = Directory.CreateTempSubdirectory("tally-bench-");
    store = new SqliteEventStore(Path.Combine(dir.FullName, "tally.db"));
    var plan = PlanLoader.LoadFile(planPath).GetPlanOrThrow();
    var port = argsMap.TryGetValue("serve", out var servePort) ? int.Parse(servePort) : FreePort();
    app = await TallyServer.BuildAsync(new TallyServerOptions
    {
        Plan = plan,
        Store = store,
        HashSalt = Encoding.UTF8.GetBytes("bench-salt"),
        Keys = [new ApiKey(key, Role.Writer)],
        Urls = $"http://127.0.0.1:{port}",
        Ack = ack,
        SpoolDirectory = Path.Combine(dir.FullName, "spool"),
    });
    await app.StartAsync();
    baseUri = new Uri($"http://127.0.0.1:{port}");
    if (argsMap.ContainsKey("serve"))
    {
        Console.WriteLine($"collector for plan {plan.Name} on {baseUri} (key '{key}', SQLite at {store.Path}, ack after {(ack == AckMode.Spool ? "spool fsync" : "store commit")}); Ctrl+C stops it");
        // The host stops itself on Ctrl+C or SIGTERM.
        await app.WaitForShutdownAsync();
        await store.DisposeAsync();
        dir.Delete(recursive: true);
        return 0;
    }
    Console.WriteLine($"# Tally ingest benchmark  {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z  {Environment.ProcessorCount} cores  {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    Console.WriteLine($"plan {plan.Name}, store SQLite (WAL, synchronous=FULL), ack after {(ack == AckMode.Spool ? "spool fsync" : "store commit")}, {connections} connections, batches of {batchSize}, {seconds}s; load average {LoadAverage()}");
}
var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
var loadStopped = Stopwatch.StartNew();
long posted = 0;

// Phase 1: throughput with batches.
if (phases.Contains("batches"))
using (var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections })
using (var http = new HttpClient(handler) { BaseAddress = baseUri })
{
    http.DefaultRequestHeaders.Authorization = auth;
    await RunBatches(http, 2, connections, batchSize, warmup: true);
    var cpu = CpuTimes.Read();
    var (events, latencies) = await RunBatches(http, seconds, connections, batchSize, warmup: false);
    var cpuShare = CpuTimes.Read().Since(cpu);
    posted += events;
    loadStopped.Restart();
    latencies.Sort();
    Console.WriteLine($"batches: {events / (double)seconds:N0} events/s committed; request p50 {P(latencies, 0.50):F2} ms, p99 {P(latencies, 0.99):F2} ms, max {latencies[^1]:F2} ms ({latencies.Count} requests); {cpuShare}");
}

// Phase 2: single-event requests at a fixed rate (open loop: requests start on schedule whatever the latency).
if (phases.Contains("singles"))
using (var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
using (var http = new HttpClient(handler) { BaseAddress = baseUri })
{
    http.DefaultRequestHeaders.Authorization = auth;
    // Warm-up, not measured, as for batches: the client's first requests pay for its JIT and for opening connections
    // (tens of milliseconds), which is the load generator starting, not the collector.
    await RunSingles(http, rate, 2);
    var cpu = CpuTimes.Read();
    var (latencies, fromSchedule) = await RunSingles(http, rate, seconds);
    var cpuShare = CpuTimes.Read().Since(cpu);
    posted += latencies.Count;
    loadStopped.Restart();
    latencies.Sort();
    fromSchedule.Sort();
    Console.WriteLine($"single events at {rate}/s: p50 {P(latencies, 0.50):F2} ms, p99 {P(latencies, 0.99):F2} ms, max {latencies[^1]:F2} ms ({latencies.Count} requests); " +
        $"from the scheduled send time p50 {P(fromSchedule, 0.50):F2} ms, p99 {P(fromSchedule, 0.99):F2} ms, max {fromSchedule[^1]:F2} ms; {cpuShare}");
}

// With a spool (ClickHouse's default) a 2xx means spooled, not stored: report how long the store took to catch up.
var depth = await ReadDepth(baseUri);
var drainStart = Stopwatch.StartNew();
var sawSpool = depth > 0;
while (depth > 0 && drainStart.Elapsed < TimeSpan.FromMinutes(10)) { await Task.Delay(100); depth = await ReadDepth(baseUri); }
if (sawSpool || ack == AckMode.Spool)
    Console.WriteLine($"spool drained to the store {loadStopped.Elapsed.TotalSeconds:F1}s after the load stopped ({posted:N0} events posted)");
if (app is not null) await app.StopAsync();
if (store is not null) await store.DisposeAsync();
dir?.Delete(recursive: true);
return 0;

static async Task<(long Events, List<double> Latencies)> RunBatches(HttpClient http, int seconds, int connections, int batchSize, bool warmup)
{
    var stop = Stopwatch.StartNew();
    long events = 0;
    var all = new List<double>();
    var tasks = Enumerable.Range(0, connections).Select(async c =>
    {
        var rnd = new Random(c);
        var local = new List<double>();
        long n = 0, counter = 0;
        var stream = BatchTemplate.NextStream();
        var templates = Enumerable.Range(0, 32).Select(_ => Traffic.Template(rnd, batchSize)).ToArray();
        var buffer = new byte[templates.Max(t => t.Body.Length)];
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            var template = templates[rnd.Next(templates.Length)];
            template.Stamp(buffer, stream, ref counter);
            var t = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(buffer, 0, template.Body.Length);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var resp = await http.PostAsync("/v1/batch", content);
            local.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"HTTP {(int)resp.StatusCode}");
            n += batchSize;
        }
        lock (all) { all.AddRange(local); events += n; }
    }).ToArray();
    await Task.WhenAll(tasks);
    return (events, all);
}

// Returns each request's latency from when it was sent, and from when it was due: a request the pacer sent late (the
// machine busy, or Thread.Sleep's ~1 ms granularity) counts its lateness in the second, so a stall cannot hide by
// delaying the requests behind it.
static async Task<(List<double> FromSend, List<double> FromSchedule)> RunSingles(HttpClient http, int rate, int seconds)
{
    var total = rate * seconds;
    var fromSend = new double[total];
    var fromSchedule = new double[total];
    var rnd = new Random(42);
    var bodies = Enumerable.Range(0, total).Select(_ => Encoding.UTF8.GetBytes(Traffic.Single(rnd))).ToArray();
    var sends = new Task[total];
    // A dedicated thread keeps the schedule and sends each request itself when it is due (open loop: whatever the
    // latency of earlier ones). Handing each request to the thread pool instead (Task.Delay, then Task.Run) put the
    // load generator's own queueing into the measured tail.
    var start = Stopwatch.GetTimestamp();
    await Task.Factory.StartNew(() =>
    {
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            while (Stopwatch.GetTimestamp() < due) Thread.Sleep(1);
            sends[i] = Send(http, bodies[i], due, i);
        }
    }, TaskCreationOptions.LongRunning);
    await Task.WhenAll(sends);
    return ([.. fromSend], [.. fromSchedule]);

    async Task Send(HttpClient http, byte[] body, long due, int index)
    {
        var sent = Stopwatch.GetTimestamp();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await http.PostAsync("/v1/track", content).ConfigureAwait(false);
        fromSend[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        fromSchedule[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
        if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"HTTP {(int)resp.StatusCode}");
    }
}

static async Task<double> ReadDepth(Uri baseUri)
{
    using var http = new HttpClient { BaseAddress = baseUri };
    using var resp = await http.GetAsync("/metrics");
    if (!resp.IsSuccessStatusCode) return 0;
    var text = await resp.Content.ReadAsStringAsync();
    var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("analytics_spool_depth ", StringComparison.Ordinal));
    return line is null ? 0 : double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

static double P(List<double> sorted, double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

static int FreePort()
{
    var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    l.Start();
    var p = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return p;
}

static string FindRepoFile(string relative)
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Tally.slnx"))) return Path.Combine(d.FullName, relative);
    return relative;
}

static Dictionary<string, string> ParseArgs(string[] a)
{
    var d = new Dictionary<string, string>();
    for (var i = 0; i + 1 < a.Length; i += 2) d[a[i].TrimStart('-')] = a[i + 1];
    return d;
}
