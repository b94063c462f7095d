using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tally.Core.Governance;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Server.Endpoints;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally keys create|list|revoke</c>: API keys kept (hashed) in the store, so every collector on it accepts them.
/// A running <c>tally serve</c> on the same store sees a new or revoked key within its refresh interval (5 s).
/// Example: tally keys create --role viewer --name grafana --data ./tally-data
/// </summary>
public static class KeysCommand
{
    public static Command Build()
    {
        var cmd = new Command("keys", "Create, list and revoke API keys (writer, viewer, analyst, admin) kept hashed in the store.");
        cmd.Subcommands.Add(BuildCreate());
        cmd.Subcommands.Add(BuildList());
        cmd.Subcommands.Add(BuildRevoke());
        return cmd;
    }

    private sealed class StoreOptions
    {
        public Option<DirectoryInfo> Data { get; } = new("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => new DirectoryInfo("tally-data") };
        public Option<string?> Store { get; } = new("--store") { Description = "Store URI: sqlite://PATH (default: DATA/tally.db) or clickhouse://HOST:PORT/DATABASE." };

        public void AddTo(Command cmd)
        {
            cmd.Options.Add(Data);
            cmd.Options.Add(Store);
        }

        public async Task<IKeyStore?> OpenAsync(ParseResult parse, CancellationToken ct)
        {
            var dataDir = parse.GetValue(Data)!;
            dataDir.Create();
            var (store, error) = StoreFactory.Open(parse.GetValue(Store), dataDir.FullName);
            if (store is null)
            {
                Console.Error.WriteLine($"tally keys: {error}");
                return null;
            }
            if (store is not IKeyStore keys)
            {
                await store.DisposeAsync();
                Console.Error.WriteLine("tally keys: this store does not keep keys");
                return null;
            }
            await store.InitializeAsync(ct);
            return keys;
        }
    }

    private static Command BuildCreate()
    {
        var stores = new StoreOptions();
        var role = new Option<string>("--role") { Description = "writer (ingest only), viewer (aggregated results), analyst (every query, quarantine) or admin.", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeySecret.Roles]);
        var env = new Option<string?>("--env") { Description = "For writer keys: the environment their events belong to (default: the plan's default)." };
        var name = new Option<string?>("--name") { Description = "A label to recognise the key by in lists (default: its role)." };
        var plan = new Option<FileInfo?>("--plan") { Description = "A plan to check --env against (optional)." };
        var cmd = new Command("create", "Create a key and print it once; only its hash is stored.\nExample: tally keys create --role writer --env staging --name ios");
        cmd.Options.Add(role);
        cmd.Options.Add(env);
        cmd.Options.Add(name);
        cmd.Options.Add(plan);
        stores.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            IReadOnlyList<string>? environments = null;
            if (parse.GetValue(plan) is { } planFile)
            {
                var loaded = PlanLoader.LoadFile(planFile.FullName);
                if (loaded.HasErrors || loaded.Plan is null)
                {
                    foreach (var d in loaded.Diagnostics) Console.Error.WriteLine(d);
                    return 1;
                }
                environments = loaded.Plan.Environments;
            }
            var (key, error) = KeyEndpoints.Make(parse.GetValue(role), parse.GetValue(env), parse.GetValue(name), environments, DateTimeOffset.UtcNow);
            if (key is null)
            {
                Console.Error.WriteLine($"tally keys create: {error}");
                return 2;
            }
            if (await stores.OpenAsync(parse, ct) is not { } store) return 1;
            await using var _ = (IEventStore)store;
            var secret = ApiKeySecret.NewKey();
            await store.CreateKeyAsync(key with { Hash = ApiKeySecret.Hash(secret) }, ct);
            Console.Error.WriteLine($"created {key.Role} key {key.Id} ({key.Name}{(key.Environment is null ? "" : $", environment {key.Environment}")}); it is shown only now:");
            Console.WriteLine(secret);
            return 0;
        });
        return cmd;
    }

    private static Command BuildList()
    {
        var stores = new StoreOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"keys\": [{id, name, role, environment, createdAt, revokedAt}]}." };
        var cmd = new Command("list", "List keys (never the keys or their hashes).\nExample: tally keys list --json");
        cmd.Options.Add(json);
        stores.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            if (await stores.OpenAsync(parse, ct) is not { } store) return 1;
            await using var _ = (IEventStore)store;
            var keys = (await store.ListKeysAsync(ct)).Select(KeyInfo.Of).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new KeyListing(keys), KeyJson.Default.KeyListing));
                return 0;
            }
            if (keys.Count == 0)
            {
                Console.WriteLine("no stored keys");
                return 0;
            }
            var table = new Table().AddColumn("id").AddColumn("name").AddColumn("role").AddColumn("environment").AddColumn("created").AddColumn("revoked");
            foreach (var k in keys)
                table.AddRow(k.Id, Markup.Escape(k.Name), k.Role, Markup.Escape(k.Environment ?? ""), $"{k.CreatedAt:yyyy-MM-dd HH:mm}", k.RevokedAt is { } r ? $"{r:yyyy-MM-dd HH:mm}" : "");
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command BuildRevoke()
    {
        var stores = new StoreOptions();
        var id = new Argument<string>("ID") { Description = "The key's id, as `tally keys list` shows it." };
        var cmd = new Command("revoke", "Revoke a key: it is refused (401) from then on, by a running server within its refresh interval.\nExample: tally keys revoke key_0123abcd");
        cmd.Arguments.Add(id);
        stores.AddTo(cmd);
        cmd.SetAction(async (parse, ct) =>
        {
            if (await stores.OpenAsync(parse, ct) is not { } store) return 1;
            await using var _ = (IEventStore)store;
            var keyId = parse.GetValue(id)!;
            if (!await store.RevokeKeyAsync(keyId, DateTimeOffset.UtcNow, ct))
            {
                Console.Error.WriteLine($"tally keys revoke: no stored key has id '{keyId}'");
                return 1;
            }
            Console.WriteLine($"revoked {keyId}");
            return 0;
        });
        return cmd;
    }
}
