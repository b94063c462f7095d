using System.Diagnostics;
using System.Globalization;
using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse;
using Tally.Storage.Sqlite;

// Analytics benchmark (issues 4 and 5): loads N deterministic Aurora events into the embedded SQLite store and, when a
// ClickHouse server is given, into a fresh ClickHouse database, then times the plan's product_engagement funnel, its
// KPI set and its attribution rule on each store (warm: one untimed run, then the median of three). Usage:
//   dotnet run -c Release --project bench/Tally.Bench.Analytics -- [--events 10000000] [--actors N/10] [--data DIR]
//       [--reuse] [--table-path] [--clickhouse http://127.0.0.1:8123/ | clickhouse://HOST:PORT]
//       [--clickhouse-database NAME] [--keep] [--seed 42]
// TALLY_CLICKHOUSE_URL is used when --clickhouse is not given. SQLite analytics read the store's columnar projection,
// built from the table before the queries (its build time and memory are reported); --table-path also times the
// old path through the (name, ts) index on the same file ("SQLite table", slow at 10M).
// --reuse with --data DIR keeps the loaded SQLite file between runs (named by seed, events and actors) and loads it
// only when it is not there yet; with --clickhouse-database NAME (and --keep, so it is not dropped) the ClickHouse
// database is reused likewise when it already holds the events. So the 10M load is paid once:
//   ... -- --events 10000000 --data /var/tmp/tally-bench --reuse --clickhouse URL --clickhouse-database tally_bench_10m --keep
var options = ParseArgs(args);
var events = long.Parse(options.GetValueOrDefault("events", "10000000"), CultureInfo.InvariantCulture);
var actors = long.Parse(options.GetValueOrDefault("actors", Math.Max(1, events / 10).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var seed = int.Parse(options.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture);
var clickhouseUrl = options.GetValueOrDefault("clickhouse") ?? Environment.GetEnvironmentVariable("TALLY_CLICKHOUSE_URL");
var dataDir = options.TryGetValue("data", out var d) ? Directory.CreateDirectory(d) : Directory.CreateTempSubdirectory("tally-bench-analytics-");
var ownsData = !options.ContainsKey("data");
var reuse = options.ContainsKey("reuse");
if (reuse && ownsData) throw new ArgumentException("--reuse needs --data DIR");
const int BatchSize = 20_000;

var plan = PlanLoader.LoadFile(FindRepoFile("plans/aurora-concierge.yaml")).GetPlanOrThrow();
var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
// Sessions start within 7 days and may run past the last one; a day of margin keeps them all in range.
var range = new TimeRange(start, start.AddDays(8));

Console.WriteLine($"# Tally analytics benchmark  {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z  {Environment.ProcessorCount} cores  {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"plan {plan.Name}, {events:N0} events, {actors:N0} actors, seed {seed}, 7 days from {start:yyyy-MM-dd}, batches of {BatchSize:N0}");

var sqlitePath = Path.Combine(dataDir.FullName, $"analytics-{seed}-{events}-{actors}.db");
// A finished load leaves this marker, so a run stopped during the load is not mistaken for a loaded file.
var loadedMarker = sqlitePath + ".loaded";
var reuseSqlite = reuse && File.Exists(sqlitePath) && File.Exists(loadedMarker);
if (!reuseSqlite)
    foreach (var f in new[] { sqlitePath, sqlitePath + "-wal", sqlitePath + "-shm", loadedMarker }) File.Delete(f);
var sqlite = await SqliteEventStore.OpenAsync(sqlitePath);
var stores = new List<BenchStore> { new("SQLite", sqlite) { Loaded = reuseSqlite } };
Console.WriteLine(reuseSqlite ? $"reusing the loaded SQLite file {sqlitePath}" : $"loading SQLite into {sqlitePath}");

ClickHouseAdmin? admin = null;
if (!string.IsNullOrWhiteSpace(clickhouseUrl))
{
    var database = options.GetValueOrDefault("clickhouse-database") ?? $"tally_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
    var uri = clickhouseUrl.StartsWith(ClickHouseStoreUri.Scheme + "://", StringComparison.OrdinalIgnoreCase)
        ? ClickHouseStoreUri.Parse(clickhouseUrl) with { Database = database }
        : new ClickHouseStoreUri(new Uri(clickhouseUrl), database);
    admin = new ClickHouseAdmin(uri);
    Console.WriteLine($"ClickHouse {await admin.ScalarAsync("SELECT version()")} at {uri}");
    var clickhouse = new BenchStore("ClickHouse", await ClickHouseEventStore.OpenAsync(uri));
    if (reuse && await admin.TryScalarAsync($"SELECT count() FROM {database}.events") is { } rows && long.Parse(rows, CultureInfo.InvariantCulture) == events)
    {
        clickhouse.Loaded = true;
        Console.WriteLine($"reusing ClickHouse database {database} ({events:N0} events)");
    }
    stores.Add(clickhouse);
}

// Load: one generated batch goes to every store in turn; only the writes are timed.
var generator = new SessionGenerator(seed, actors, start, TimeSpan.FromDays(7));
var batch = new List<CollectedEvent>(BatchSize);
var generation = Stopwatch.StartNew();
long loaded = 0;
if (stores.Any(s => !s.Loaded))
{
    foreach (var e in generator.Events(events))
    {
        batch.Add(e);
        if (batch.Count == BatchSize) await Flush();
    }
    if (batch.Count > 0) await Flush();
}
generation.Stop();
if (!stores[0].Loaded) await File.WriteAllTextAsync(loadedMarker, $"{loaded}\n");
foreach (var s in stores.Where(s => !s.Loaded))
    Console.WriteLine($"loaded {s.Name}: {loaded:N0} events in {s.Load.Elapsed.TotalSeconds:F1} s = {loaded / s.Load.Elapsed.TotalSeconds:N0} events/s");
if (loaded > 0) Console.WriteLine($"load phase wall time (generation and the stores loaded): {generation.Elapsed.TotalSeconds:F1} s");
var afterLoad = Memory.Now();

// The projection, built now from the table as a store does at its first query after opening.
var beforeProjection = Memory.Managed();
var projectionBuild = Stopwatch.StartNew();
var cpuBefore = Memory.Cpu();
await sqlite.WarmAnalyticsAsync();
projectionBuild.Stop();
var projectionCpu = Memory.Cpu() - cpuBefore;
var afterProjection = Memory.Managed();
Console.WriteLine($"SQLite projection: {sqlite.ProjectedEvents:N0} events built from the table in {projectionBuild.Elapsed.TotalSeconds:F1} s ({projectionCpu.TotalSeconds:F1} s of CPU); " +
                  $"managed heap {Memory.Mb(beforeProjection)} before, {Memory.Mb(afterProjection)} after (column arrays {Memory.Mb(sqlite.ProjectionArrayBytes())}); " +
                  $"working set {Memory.Mb(Memory.WorkingSet())}");
if (options.ContainsKey("table-path"))
{
    // A second store on the same file that reads the table, for comparison (no projection in memory).
    var table = await SqliteEventStore.OpenAsync(sqlitePath);
    table.UseAnalyticsProjection = false;
    stores.Insert(1, new BenchStore("SQLite table", table) { Loaded = true });
}

// Queries, warm: one untimed run each, then the median of three timed runs.
var funnel = plan.Funnels.Single(f => f.Name == "product_engagement");
var queries = new List<(string Name, Func<IAnalyticsStore, Task<string>> Run)>
{
    ($"funnel {funnel.Name} ({funnel.Steps.Count} steps)", async s =>
    {
        var r = await s.FunnelAsync(FunnelQuery.From(funnel, range));
        return string.Join(" → ", r.Steps.Select(x => x.Actors.ToString("N0", CultureInfo.InvariantCulture)));
    }),
};
foreach (var kpi in plan.Kpis)
    queries.Add(($"KPI {kpi.Name}", async s =>
    {
        var r = await s.KpiAsync(kpi, range);
        return r.Value is { } v ? $"{v:F4} ({r.Numerator}/{r.Denominator})" : $"{r.Series.Count} points, {r.Series.Sum(p => p.Value ?? 0):N0} total";
    }));
foreach (var a in plan.Attributions)
    queries.Add(($"attribution {a.Name}", async s =>
    {
        var r = await s.AttributionAsync(a, range);
        return $"{r.Conversions:N0} conversions, {r.Attributed:N0} attributed";
    }));

var medians = new Dictionary<(string Query, string Store), double>();
// CPU time of this process per run (all threads; for ClickHouse only the client's): on a shared machine it shows
// the work done when wall time mostly shows the wait for a core.
var cpuMedians = new Dictionary<(string Query, string Store), double>();
var answers = new Dictionary<(string Query, string Store), string>();
foreach (var s in stores)
{
    foreach (var (name, run) in queries)
    {
        answers[(name, s.Name)] = await run(s.Analytics);
        var times = new double[3];
        var cpu = new double[3];
        for (var i = 0; i < times.Length; i++)
        {
            var cpuBeforeRun = Memory.Cpu();
            var sw = Stopwatch.StartNew();
            await run(s.Analytics);
            times[i] = sw.Elapsed.TotalSeconds;
            cpu[i] = (Memory.Cpu() - cpuBeforeRun).TotalSeconds;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        medians[(name, s.Name)] = times[1];
        cpuMedians[(name, s.Name)] = cpu[1];
    }
}
var afterQueries = Memory.Now();

Console.WriteLine();
var clickhouseAt = stores.FindIndex(s => s.Name == "ClickHouse");
Console.WriteLine($"| query | {string.Join(" | ", stores.Select(s => s.Name + " s"))} |{(clickhouseAt > 0 ? " ClickHouse/SQLite |" : "")}");
Console.WriteLine($"|---|{string.Concat(stores.Select(_ => "---:|"))}{(clickhouseAt > 0 ? "---:|" : "")}");
void Row(string name, IReadOnlyList<double> seconds) =>
    Console.WriteLine($"| {name} | {string.Join(" | ", seconds.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))} |{(clickhouseAt > 0 ? $" {seconds[clickhouseAt] / seconds[0]:F2} |" : "")}");
foreach (var (name, _) in queries) Row(name, stores.Select(s => medians[(name, s.Name)]).ToList());
Row($"**KPI set ({plan.Kpis.Count} KPIs, sum of medians)**", stores.Select(s => queries.Where(q => q.Name.StartsWith("KPI ", StringComparison.Ordinal)).Sum(q => medians[(q.Name, s.Name)])).ToList());
if (stores.All(s => !s.Loaded) && stores.Count <= 2)
{
    Console.WriteLine($"| load, events/s | {string.Join(" | ", stores.Select(s => (loaded / s.Load.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)))} |{(stores.Count > 1 ? $" {stores[0].Load.Elapsed.TotalSeconds / stores[1].Load.Elapsed.TotalSeconds:F2} (throughput) |" : "")}");
    Console.WriteLine($"| load, s | {string.Join(" | ", stores.Select(s => s.Load.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)))} |{(stores.Count > 1 ? $" {stores[1].Load.Elapsed.TotalSeconds / stores[0].Load.Elapsed.TotalSeconds:F2} |" : "")}");
}

Console.WriteLine();
Console.WriteLine($"CPU s of this process per query (median): {string.Join("; ", queries.Select(q => $"{q.Name}: {string.Join(" / ", stores.Select(st => $"{st.Name} {cpuMedians[(q.Name, st.Name)].ToString("F3", CultureInfo.InvariantCulture)}"))}"))}");

Console.WriteLine();
Console.WriteLine("Answers (the stores must agree):");
foreach (var (name, _) in queries)
    Console.WriteLine($"- {name}: {string.Join("; ", stores.Select(s => $"{s.Name} {answers[(name, s.Name)]}"))}{(stores.Select(s => answers[(name, s.Name)]).Distinct().Count() > 1 ? "  **DIFFER**" : "")}");

Console.WriteLine();
Console.WriteLine($"Memory (this process: generator, stores, clients): working set now {Memory.Mb(Memory.WorkingSet())}, managed heap {Memory.Mb(Memory.Managed())}, peak working set {Memory.Mb(afterQueries.PeakWorkingSet)} " +
                  $"(after load {Memory.Mb(afterLoad.PeakWorkingSet)}); GC allocated {Memory.Mb(afterLoad.Allocated)} during load, " +
                  $"{Memory.Mb(afterQueries.Allocated - afterLoad.Allocated)} during the queries");
var sqliteBytes = new[] { sqlitePath, sqlitePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
Console.WriteLine($"SQLite file (with WAL): {Memory.Mb(sqliteBytes)}");
if (admin is not null)
{
    var onDisk = await admin.TryScalarAsync($"SELECT formatReadableSize(sum(bytes_on_disk)) FROM system.parts WHERE active AND database = '{admin.Database}'")
                 ?? await admin.TryScalarAsync($"SELECT formatReadableSize(sum(bytes)) FROM system.parts WHERE active AND database = '{admin.Database}'");
    Console.WriteLine($"ClickHouse on disk (system.parts, active): {onDisk ?? "n/a"}");
}

foreach (var s in stores) await s.DisposeAsync();
if (admin is not null)
{
    if (!options.ContainsKey("keep")) await admin.TryScalarAsync($"DROP DATABASE IF EXISTS {admin.Database}");
    admin.Dispose();
}
if (ownsData) dataDir.Delete(recursive: true);
return 0;

async Task Flush()
{
    var write = new WriteBatch(batch.ToArray(), [], []);
    foreach (var s in stores.Where(s => !s.Loaded))
    {
        s.Load.Start();
        var result = await s.Store.WriteAsync(write);
        s.Load.Stop();
        if (result.Events.Count != write.Events.Count) throw new InvalidOperationException($"{s.Name} answered {result.Events.Count} outcomes for {write.Events.Count} events");
    }
    loaded += batch.Count;
    batch.Clear();
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var map = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}'");
        map[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
    }
    return map;
}

static string FindRepoFile(string relative)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Tally.slnx"))) return Path.Combine(dir.FullName, relative);
    throw new FileNotFoundException($"no Tally.slnx above {AppContext.BaseDirectory}");
}
