using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Query;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Governance;

/// <summary>
/// Keys made and revoked by <c>tally keys</c> in another process's hands (here: the CLI in-process, on its own store
/// connection) reach a running collector within its refresh interval (5 s): a new writer key is accepted, and once
/// revoked it gets a 401 whose JSON reason says it was revoked. On both stores.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class StoredKeyTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    public static TheoryData<StoreKind> Stores => new(StoreKind.Sqlite, StoreKind.ClickHouse);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_key_created_and_revoked_by_the_cli_takes_effect_within_seconds(StoreKind kind)
    {
        await using var server = await StoreServer.StartAsync(kind, Repo.PathOf("plans", "skillforge.yaml"));
        var data = Directory.CreateTempSubdirectory("tally-keys-cli-");

        var created = await CapturedRun.Tally("keys", "create", "--role", "writer", "--name", "cli test", "--store", server.StoreUri, "--data", data.FullName);
        Assert.True(created.ExitCode == 0, created.Error);
        var key = created.OutLines.Single();

        var accepted = await Until(async () => await Send(server, key), p => p.Status == HttpStatusCode.OK);
        accepted.ShouldBeIngested(accepted: 1);

        var listed = await CapturedRun.Tally("keys", "list", "--json", "--store", server.StoreUri, "--data", data.FullName);
        var id = JsonDocument.Parse(listed.Out).RootElement.GetProperty("keys").EnumerateArray().Single().GetProperty("id").GetString()!;
        var revoked = await CapturedRun.Tally("keys", "revoke", id, "--store", server.StoreUri, "--data", data.FullName);
        Assert.True(revoked.ExitCode == 0, revoked.Error);

        var refused = await Until(async () => await Send(server, key), p => p.Status == HttpStatusCode.Unauthorized);
        refused.ShouldBeError(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("revoked", refused.Json.GetProperty("message").GetString());
        data.Delete(recursive: true);
    }

    private static Task<Posted> Send(StoreServer server, string key) =>
        server.PostAsync("/v1/events", Some.SkillForge("session_started", Some.Id("usr")).ToJsonString(), key: key);

    private static async Task<Posted> Until(Func<Task<Posted>> send, Func<Posted, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await send();
            if (done(answer) || clock.Elapsed > Within) return answer;
            await Task.Delay(250);
        }
    }
}
