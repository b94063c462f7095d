using System.CommandLine;
using System.Globalization;
using Tally.Server.Governance;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally export --to DIR [--from T] [--until T] [--env ENV]</c>: sanitized events as gzip JSON lines in the Hive layout
/// <c>events/env=/dt=/hr=/part-NNNN.json.gz</c>; <c>tally export ddl</c>: the matching Athena and ClickHouse DDL.
/// The issue names the directory <c>--to</c>, so the window's end is <c>--until</c>.
/// Example: tally export --plan plans/support-middleware.yaml --to ./exports --from 2026-11-20T00:00:00Z
/// </summary>
public static class ExportCommand
{
    public static Command Build()
    {
        var common = new CommonOptions();
        var to = new Option<DirectoryInfo>("--to") { Description = "Directory (or mounted bucket) to write the export under.", Required = true };
        var from = new Option<string?>("--from") { Description = "Window start (ISO 8601); default: 24 hours ago." };
        var until = new Option<string?>("--until") { Description = "Window end (ISO 8601); default: now." };
        var env = new Option<string?>("--env") { Description = "Only this environment." };
        var cmd = new Command("export", "Write sanitized events in the Hive-partitioned layout; re-running a window never duplicates a row.\nExample: tally export --plan plans/support-middleware.yaml --to ./exports");
        common.AddTo(cmd);
        cmd.Options.Add(to);
        cmd.Options.Add(from);
        cmd.Options.Add(until);
        cmd.Options.Add(env);
        cmd.SetAction(async (parse, ct) =>
        {
            if (!TryTime(parse.GetValue(from), DateTimeOffset.UtcNow.AddDays(-1), "--from", out var start) ||
                !TryTime(parse.GetValue(until), DateTimeOffset.UtcNow, "--until", out var end)) return 2;
            if (await common.OpenAsync(parse) is not { } opened) return 1;
            await using var store = opened.Store;
            var report = await new EventExporter(store, opened.Plan).ExportAsync(parse.GetValue(to)!.FullName, start, end, parse.GetValue(env), ct);
            Console.WriteLine($"exported {report.Rows} rows into {report.Partitions} hour partitions ({report.Files} files), window {report.From:u} .. {report.To:u}");
            return 0;
        });
        cmd.Subcommands.Add(BuildDdl());
        return cmd;
    }

    private static Command BuildDdl()
    {
        var plan = new Option<FileInfo>("--plan") { Description = "The tracking plan.", Required = true };
        var table = new Option<string>("--table") { Description = "Table name.", DefaultValueFactory = _ => "mw_events_v1" };
        var location = new Option<string>("--location") { Description = "Where the export lives (s3://bucket/prefix or a path).", DefaultValueFactory = _ => "s3://org-mw-analytics-prod" };
        var cmd = new Command("ddl", "Print the Athena CREATE EXTERNAL TABLE (partition projection on env/dt/hr) and a ClickHouse query that reads the files.");
        cmd.Options.Add(plan);
        cmd.Options.Add(table);
        cmd.Options.Add(location);
        cmd.SetAction(parse =>
        {
            var loaded = Tally.Core.Plans.PlanLoader.LoadFile(parse.GetValue(plan)!.FullName);
            if (loaded.HasErrors || loaded.Plan is null)
            {
                foreach (var d in loaded.Diagnostics) Console.Error.WriteLine(d);
                return 1;
            }
            Console.WriteLine("-- Athena");
            Console.WriteLine(ExportDdl.Athena(loaded.Plan, parse.GetValue(table)!, parse.GetValue(location)!));
            Console.WriteLine("-- ClickHouse");
            Console.WriteLine(ExportDdl.ClickHouse(parse.GetValue(location)!));
            return 0;
        });
        return cmd;
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, string option, out DateTimeOffset value)
    {
        value = fallback;
        if (text is null) return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)) return true;
        Console.Error.WriteLine($"tally export: {option} '{text}' is not an ISO 8601 time");
        return false;
    }
}
