using System.CommandLine;
using System.Text.Json;
using Tally.Core.Governance;
using Tally.Core.Pipeline;
using Tally.Core.Privacy;
using Tally.Core.Storage;
using Tally.Server;
using Tally.Server.Governance;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally forget --user|--anonymous|--session ID [--data DIR] [--store URI] [--export-dir DIR]... [--json]</c>: the GDPR
/// deletion of <c>DELETE /v1/subjects</c> run against the store directly, printing the receipt and writing the same
/// audit line. The ids are suppressed in the store; a server that is running picks that up at its next start, so while
/// one runs, delete through its API instead.
/// Example: tally forget --user u_123 --export-dir ./exports
/// </summary>
public static class ForgetCommand
{
    public static Command Build()
    {
        var user = new Option<string?>("--user") { Description = "Delete this user id and every id merged with it." };
        var anonymous = new Option<string?>("--anonymous") { Description = "Delete this anonymous id and every id merged with it." };
        var session = new Option<string?>("--session") { Description = "Delete this session's events." };
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory of the embedded store (and of the hashing salt).", DefaultValueFactory = _ => new DirectoryInfo("tally-data") };
        var store = new Option<string?>("--store") { Description = "Store URI: sqlite://PATH (default: DATA/tally.db) or clickhouse://HOST:PORT/DATABASE." };
        var exportDirs = new Option<DirectoryInfo[]>("--export-dir") { Description = "An export or archive root whose part files are rewritten without the subject's rows (repeatable).", DefaultValueFactory = _ => [] };
        var json = new Option<bool>("--json") { Description = "Print the receipt as JSON." };
        var cmd = new Command("forget", "Delete a subject (GDPR): raw and quarantined events, identity links, opt-out rows and exported rows of every id merged with it; later events carrying those ids are dropped.\nExample: tally forget --user u_123 --export-dir ./exports");
        foreach (var o in new Option[] { user, anonymous, session, data, store, exportDirs, json }) cmd.Options.Add(o);
        cmd.SetAction(async (parse, ct) =>
        {
            var named = new[] { (parse.GetValue(user), SubjectKind.User), (parse.GetValue(anonymous), SubjectKind.Anonymous), (parse.GetValue(session), SubjectKind.Session) }
                .Where(n => n.Item1 is not null).ToList();
            if (named.Count != 1 || string.IsNullOrWhiteSpace(named[0].Item1))
            {
                Console.Error.WriteLine("tally forget: name exactly one subject: --user ID, --anonymous ID or --session ID");
                return 2;
            }

            var subject = new Subject(named[0].Item2, named[0].Item1!);
            var dataDir = parse.GetValue(data)!;
            dataDir.Create();
            var (opened, error) = StoreFactory.Open(parse.GetValue(store), dataDir.FullName);
            if (opened is null)
            {
                Console.Error.WriteLine($"tally forget: {error}");
                return 2;
            }

            await using var eventStore = opened;
            await eventStore.InitializeAsync(ct);
            if (eventStore is not ISubjectStore subjects || eventStore is not IAuditLog audit)
            {
                Console.Error.WriteLine("tally forget: this store does not support deletion");
                return 1;
            }

            var suppressed = new SuppressionList(new PropertyHasher(Secrets.HashSalt(dataDir.FullName)));
            var deletion = new SubjectDeletion(subjects, suppressed, [.. parse.GetValue(exportDirs)!.Select(d => d.FullName)]);
            var actor = $"cli:{Environment.UserName}";
            DeletionReceipt receipt;
            try
            {
                receipt = await deletion.DeleteAsync(subject, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await audit.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, actor, "admin", "subjects.delete", deletion.TargetOf(subject), "error", e.GetType().Name), CancellationToken.None);
                Console.Error.WriteLine($"tally forget: {e.Message}");
                return 1;
            }

            await audit.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, actor, "admin", "subjects.delete", deletion.TargetOf(subject), "ok", receipt.Summary), CancellationToken.None);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(receipt, GovernanceJson.Default.DeletionReceipt));
                return 0;
            }

            Console.WriteLine($"deleted {receipt.Kind} {receipt.SubjectHash[..12]}… ({receipt.MergedIds} id(s), all now suppressed):");
            Console.WriteLine($"  raw events       {receipt.Events}");
            Console.WriteLine($"  quarantined      {receipt.Quarantined}");
            Console.WriteLine($"  identity links   {receipt.IdentityLinks}");
            Console.WriteLine($"  opt-out rows     {receipt.OptOuts}");
            Console.WriteLine($"  exported rows    {receipt.ExportRows} in {receipt.ExportFiles} file(s)");
            Console.WriteLine("  roll-ups         kept (counts per event and day; no personal data)");
            return 0;
        });
        return cmd;
    }
}
