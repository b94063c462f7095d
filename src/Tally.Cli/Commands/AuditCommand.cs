using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tally.Core.Governance;
using Tally.Core.Pipeline;
using Tally.Core.Storage;
using Tally.Server;
using Tally.Server.Endpoints;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally audit [--from T] [--to T] [--action A] [--limit N] [--json]</c>: the store's audit log, newest first, as
/// <c>GET /v1/audit</c> serves it. Reading it is itself written to the log.
/// Example: tally audit --action subjects.delete --limit 20
/// </summary>
public static class AuditCommand
{
    public static Command Build()
    {
        var from = new Option<string?>("--from") { Description = "Only lines at or after this instant (ISO 8601)." };
        var to = new Option<string?>("--to") { Description = "Only lines before this instant (ISO 8601)." };
        var action = new Option<string?>("--action") { Description = "Only this action, e.g. subjects.delete." };
        var limit = new Option<int>("--limit") { Description = "At most this many lines.", DefaultValueFactory = _ => AuditEndpoints.DefaultLimit };
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => new DirectoryInfo("tally-data") };
        var store = new Option<string?>("--store") { Description = "Store URI: sqlite://PATH (default: DATA/tally.db) or clickhouse://HOST:PORT/DATABASE." };
        var json = new Option<bool>("--json") { Description = "Print the lines as JSON." };
        var cmd = new Command("audit", "Read the audit log: who did what to what, when, with what outcome.\nExample: tally audit --action subjects.delete --limit 20");
        foreach (var o in new Option[] { from, to, action, limit, data, store, json }) cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            if (!TryInstant(parse.GetValue(from), "--from", out var f) || !TryInstant(parse.GetValue(to), "--to", out var t)) return 2;
            var n = parse.GetValue(limit);
            if (n < 1 || n > AuditEndpoints.MaxLimit)
            {
                Console.Error.WriteLine($"tally audit: --limit must be from 1 to {AuditEndpoints.MaxLimit}");
                return 2;
            }

            var dataDir = parse.GetValue(data)!;
            dataDir.Create();
            var (opened, error) = StoreFactory.Open(parse.GetValue(store), dataDir.FullName);
            if (opened is null)
            {
                Console.Error.WriteLine($"tally audit: {error}");
                return 2;
            }

            await using var eventStore = opened;
            await eventStore.InitializeAsync(ct);
            if (eventStore is not IAuditLog log)
            {
                Console.Error.WriteLine("tally audit: this store keeps no audit log");
                return 1;
            }

            var entries = await log.ReadAuditAsync(new AuditQuery(f, t, parse.GetValue(action), n), ct);
            await log.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, $"cli:{Environment.UserName}", "admin", "audit.read", "audit_log", "ok", $"lines={entries.Count}"), CancellationToken.None);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new AuditListing(entries.Count, entries), GovernanceJson.Default.AuditListing));
                return 0;
            }

            if (entries.Count == 0)
            {
                Console.WriteLine("no audit lines match");
                return 0;
            }

            var table = new Table().AddColumn("at (UTC)").AddColumn("actor").AddColumn("role").AddColumn("action").AddColumn("target").AddColumn("outcome").AddColumn("detail");
            foreach (var e in entries)
            {
                table.AddRow(e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), Markup.Escape(e.Actor), e.Role, Markup.Escape(e.Action),
                    Markup.Escape(e.Target), e.Outcome, Markup.Escape(e.Detail));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static bool TryInstant(string? text, string option, out DateTimeOffset? value)
    {
        value = null;
        if (text is null) return true;
        if (IsoTimestamp.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }

        Console.Error.WriteLine($"tally audit: {option} '{text}' is not an ISO 8601 instant");
        return false;
    }
}
