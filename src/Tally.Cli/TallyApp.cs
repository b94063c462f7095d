using System.CommandLine;
using Tally.Cli.Commands;

namespace Tally.Cli;

/// <summary>Builds the <c>tally</c> command tree. Each verb is one class under Commands/.</summary>
public static class TallyApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Tally: tracking plans as code, a collector that enforces them, and the analytics they declare.");
        root.Subcommands.Add(PlanCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(QuarantineCommand.Build());
        root.Subcommands.Add(ExportCommand.Build());
        root.Subcommands.Add(RetentionCommand.Build());
        root.Subcommands.Add(IngestCommand.Build());
        root.Subcommands.Add(FunnelCommand.Build());
        root.Subcommands.Add(KpiCommand.Build());
        root.Subcommands.Add(AttributionCommand.Build());
        root.Subcommands.Add(JourneysCommand.Build());
        root.Subcommands.Add(CountsCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(ForgetCommand.Build());
        root.Subcommands.Add(AuditCommand.Build());
        root.Subcommands.Add(KeysCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        return await parse.InvokeAsync();
    }
}
