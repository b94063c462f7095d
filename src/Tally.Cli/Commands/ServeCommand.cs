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
        var exportDirs = new Option<DirectoryInfo[]>("--export-dir") { Description = "An export or archive root; a GDPR deletion rewrites its part files (repeatable).", DefaultValueFactory = _ => [] };
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var cmd = new Command("serve", "Run the collector (Segment-compatible) and the query API.\nExample: tally serve --plan plans/aurora-concierge.yaml --data ./tally-data");
        cmd.Options.Add(plan);
        cmd.Options.Add(data);
        cmd.Options.Add(store);
        cmd.Options.Add(urls);
        cmd.Options.Add(ack);
        cmd.Options.Add(exportDirs);
        cmd.SetAction(async (parse, ct) =>
        {
            var loaded = PlanLoader.LoadFile(parse.GetValue(plan)!.FullName);
            if (loaded.HasErrors || loaded.Plan is null)
            {
                foreach (var d in loaded.Diagnostics) Console.Error.WriteLine(d);
                return 1;
            }
            var dataDir = parse.GetValue(data)!;
            dataDir.Create();
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
                ExportRoots = [.. parse.GetValue(exportDirs)!.Select(d => d.FullName)],
            };
            if (options.Keys.Count == 0) Console.Error.WriteLine("tally serve: warning: no keys configured (TALLY_WRITE_KEYS, TALLY_ANALYST_KEYS): every request will be refused");
            var app = await TallyServer.BuildAsync(options);
            Console.Error.WriteLine($"tally: collecting for plan {loaded.Plan.Name} {loaded.Plan.Version} on {options.Urls}, store {eventStore.GetType().Name}");
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            await eventStore.DisposeAsync();
            return 0;
        });
        return cmd;
    }
}
