using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tally.Server;
using Tally.Server.Governance;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally retention apply [--dry-run] [--archive-dir DIR] [--now T] [--json]</c>: applies the plan's retention to the
/// store now: archives raw events past their archive period (default archive: DATA/archive, the server's default too),
/// deletes raw events past retention and roll-up rows past the aggregate retention, prints what it did per event and
/// appends it to the audit log. The server does the same every hour.
/// Example: tally retention apply --plan plans/auterity.yaml --data ./tally-data --dry-run
/// </summary>
public static class RetentionCommand
{
    public static Command Build()
    {
        var cmd = new Command("retention", "Apply the plan's retention: archive, then delete raw events and roll-ups past their periods.");
        cmd.Subcommands.Add(BuildApply());
        return cmd;
    }

    private static Command BuildApply()
    {
        var common = new CommonOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would be archived and deleted; change nothing." };
        var archiveDir = new Option<DirectoryInfo?>("--archive-dir") { Description = "Where archived events go (default: DATA/archive)." };
        var now = new Option<string?>("--now") { Description = "Apply as of this instant (ISO 8601) instead of now; for tests and catch-up runs." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var cmd = new Command("apply", "Archive raw events past archive_after, delete raw events past retention and roll-ups past aggregate_retention; report per event.\nExample: tally retention apply --plan plans/auterity.yaml --dry-run");
        common.AddTo(cmd);
        cmd.Options.Add(dryRun);
        cmd.Options.Add(archiveDir);
        cmd.Options.Add(now);
        cmd.Options.Add(json);
        cmd.SetAction(async (parse, ct) =>
        {
            var at = DateTimeOffset.UtcNow;
            if (parse.GetValue(now) is { } text &&
                !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
            {
                Console.Error.WriteLine($"tally retention apply: --now '{text}' is not an ISO 8601 time");
                return 2;
            }

            if (await common.OpenAsync(parse) is not { } opened) return 1;
            await using var store = opened.Store;
            var archive = parse.GetValue(archiveDir)?.FullName ?? Path.Combine(opened.DataDir, "archive");
            var run = new RetentionRun(store, opened.Plan) { ArchiveDirectory = archive };
            RetentionReport report;
            try
            {
                report = await run.RunAsync(at, parse.GetValue(dryRun), actor: "cli:" + Environment.UserName, role: "admin", ct);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
            {
                Console.Error.WriteLine($"tally retention apply: {ex.Message}");
                return 3;
            }

            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report, TallyServerJson.Default.RetentionReport));
            else Print(report);
            return 0;
        });
        return cmd;
    }

    private static void Print(RetentionReport report)
    {
        var verb = report.DryRun ? "would be" : "were";
        Console.WriteLine($"retention as of {report.Now:u}{(report.DryRun ? " (dry run: nothing changed)" : "")}");
        var width = Math.Max(5, report.Events.Count == 0 ? 0 : report.Events.Max(e => e.Event.Length));
        Console.WriteLine($"  {"event".PadRight(width)}  {"retention",-9}  {"archive",-7}  {"archived",10}  {"deleted",10}");
        foreach (var e in report.Events)
            Console.WriteLine($"  {e.Event.PadRight(width)}  {e.Retention ?? "forever",-9}  {e.ArchiveAfter ?? "-",-7}  {e.Archived,10}  {e.Deleted,10}");
        Console.WriteLine($"{report.Archived} raw events {verb} archived{(report.ArchiveDirectory is null ? "" : $" (into {report.ArchiveDirectory})")}, {report.Deleted} {verb} deleted");
        Console.WriteLine(report.RollupsBefore is { } day
            ? $"{report.RollupRowsDeleted} roll-up rows before {day:yyyy-MM-dd} {verb} deleted (aggregate retention {report.AggregateRetention})"
            : $"roll-ups are kept forever (aggregate retention {report.AggregateRetention})");
    }
}
