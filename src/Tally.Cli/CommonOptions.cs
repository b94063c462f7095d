using System.CommandLine;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Cli;

/// <summary>Options shared by verbs that open a plan and a store: <c>--plan</c>, <c>--data</c>, <c>--store</c>.</summary>
public sealed class CommonOptions
{
    public Option<FileInfo> Plan { get; } = new("--plan") { Description = "The tracking plan.", Required = true };
    public Option<DirectoryInfo> Data { get; } = new("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => new DirectoryInfo("tally-data") };
    public Option<string?> Store { get; } = new("--store") { Description = "Store URI: sqlite://PATH (default: DATA/tally.db) or clickhouse://HOST:PORT/DATABASE." };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Plan);
        cmd.Options.Add(Data);
        cmd.Options.Add(Store);
    }

    /// <summary>Loads the plan and opens the store, printing located errors and returning null on failure.</summary>
    public async Task<(TrackingPlan Plan, IEventStore Store, string DataDir)?> OpenAsync(ParseResult parse)
    {
        var loaded = PlanLoader.LoadFile(parse.GetValue(Plan)!.FullName);
        if (loaded.HasErrors || loaded.Plan is null)
        {
            foreach (var d in loaded.Diagnostics) Console.Error.WriteLine(d);
            return null;
        }
        var dataDir = parse.GetValue(Data)!;
        dataDir.Create();
        var (store, error) = StoreFactory.Open(parse.GetValue(Store), dataDir.FullName);
        if (store is null)
        {
            Console.Error.WriteLine($"tally: {error}");
            return null;
        }
        await store.InitializeAsync();
        return (loaded.Plan, store, dataDir.FullName);
    }
}
