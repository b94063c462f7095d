using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Tally.Core.Plans;
using Tally.Server;
using Tally.Server.Configuration;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally serve --plan plans/aurora-concierge.yaml [--data ./tally-data] [--urls http://127.0.0.1:8080]</c>:
/// the collector and query API on the embedded store. Keys and the hashing salt come from the environment
/// (TALLY_WRITE_KEYS, TALLY_ANALYST_KEYS, TALLY_HASH_SALT), never from the plan.
/// </summary>
public static class ServeCommand
{
    public static Command Build()
    {
        var plan = new Option<FileInfo>("--plan") { Description = "The tracking plan to enforce.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory for the embedded store.", DefaultValueFactory = _ => new DirectoryInfo("tally-data") };
        var store = new Option<string?>("--store") { Description = "Store URI: sqlite://PATH (default: DATA/tally.db) or clickhouse://HOST:PORT/DATABASE." };
        var ack = new Option<AckMode?>("--ack") { Description = "When to answer 2xx: 'store' (after the store commit; default for SQLite) or 'spool' (after the local spool's fsync, a shipper moves batches to the store; default for ClickHouse)." };
        var minGroup = new Option<int>("--min-group-size") { Description = "Viewer answers leave out groups (breakdown rows, KPI groups, attribution credits) smaller than this; 1 turns it off.", DefaultValueFactory = _ => 5 };
        var exportDirs = new Option<DirectoryInfo[]>("--export-dir") { Description = "An export or archive root; a GDPR deletion rewrites its part files (repeatable).", DefaultValueFactory = _ => [] };
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var retentionEvery = new Option<string>("--retention-every") { Description = "How often to apply retention (e.g. 1h, 30m), or 'off'.", DefaultValueFactory = _ => "1h" };
        var archiveDir = new Option<DirectoryInfo?>("--archive-dir") { Description = "Where retention archives events past archive_after (default: DATA/archive)." };
        var exportEvery = new Option<string>("--export-every") { Description = "Export completed hours into the first --export-dir this often (e.g. 1h); 'off' by default.", DefaultValueFactory = _ => "off" };
        var cmd = new Command("serve", "Run the collector (Segment-compatible) and the query API.\nExample: tally serve --plan plans/aurora-concierge.yaml --data ./tally-data");
        cmd.Options.Add(plan);
        cmd.Options.Add(data);
        cmd.Options.Add(store);
        cmd.Options.Add(urls);
        cmd.Options.Add(ack);
        cmd.Options.Add(minGroup);
        cmd.Options.Add(exportDirs);
        cmd.Options.Add(retentionEvery);
        cmd.Options.Add(archiveDir);
        cmd.Options.Add(exportEvery);
        cmd.SetAction(async (parse, ct) =>
        {
            var loaded = PlanLoader.LoadFile(parse.GetValue(plan)!.FullName);
            if (loaded.HasErrors || loaded.Plan is null)
            {
                foreach (var d in loaded.Diagnostics) Console.Error.WriteLine(d);
                return 1;
            }
            if (!TryEvery(parse.GetValue(retentionEvery)!, "--retention-every", out var retention) ||
                !TryEvery(parse.GetValue(exportEvery)!, "--export-every", out var export)) return 2;
            var dataDir = parse.GetValue(data)!;
            dataDir.Create();
            var exports = parse.GetValue(exportDirs)!.Select(d => d.FullName).ToList();
            if (export is not null && exports.Count == 0)
            {
                Console.Error.WriteLine("tally serve: --export-every needs an --export-dir to write into");
                return 2;
            }
            var archive = parse.GetValue(archiveDir)?.FullName ?? Path.Combine(dataDir.FullName, "archive");
            var (eventStore, storeError) = StoreFactory.Open(parse.GetValue(store), dataDir.FullName);
            if (eventStore is null)
            {
                Console.Error.WriteLine($"tally serve: {storeError}");
                return 2;
            }
            var options = new TallyServerOptions
            {
                Plan = loaded.Plan,
                Store = eventStore,
                HashSalt = Secrets.HashSalt(dataDir.FullName),
                Keys = KeyParser.FromEnvironment(Environment.GetEnvironmentVariable),
                Urls = parse.GetValue(urls)!,
                Ack = parse.GetValue(ack) ?? (eventStore is Tally.Storage.Sqlite.SqliteEventStore ? AckMode.Store : AckMode.Spool),
                SpoolDirectory = Path.Combine(dataDir.FullName, "spool"),
                RetentionEvery = retention,
                ArchiveDirectory = archive,
                // The scheduled export writes into the first --export-dir; a GDPR deletion scrubs every root, the archive included.
                ExportDirectory = export is null ? null : exports.FirstOrDefault(),
                ExportEvery = export ?? TimeSpan.Zero,
                ExportRoots = [.. exports, archive],
                MinGroupSize = Math.Max(1, parse.GetValue(minGroup)),
            };
            var app = await TallyServer.BuildAsync(options);
            if (options.Keys.Count == 0 && (eventStore is not Tally.Core.Storage.IKeyStore stored || (await stored.ListKeysAsync(ct)).All(k => k.Revoked)))
                Console.Error.WriteLine("tally serve: warning: no keys configured (TALLY_WRITE_KEYS, TALLY_ANALYST_KEYS, or `tally keys create`): every request will be refused");
            Console.Error.WriteLine($"tally: collecting for plan {loaded.Plan.Name} {loaded.Plan.Version} on {options.Urls}, store {eventStore.GetType().Name}");
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            await eventStore.DisposeAsync();
            return 0;
        });
        return cmd;
    }

    /// <summary>A period like 1h or 30m, or 'off' (null).</summary>
    private static bool TryEvery(string text, string option, out TimeSpan? every)
    {
        every = null;
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase)) return true;
        if (PlanDuration.TryParse(text, out var d) && d > TimeSpan.Zero && d != PlanDuration.Forever)
        {
            every = d;
            return true;
        }

        Console.Error.WriteLine($"tally serve: {option} '{text}' is not a period (e.g. 1h, 30m) or 'off'");
        return false;
    }
}
