using System.Text.Json;
using Tally.Core.Governance;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Store => ["--data", _dir.Path];

    [Fact]
    public async Task Create_prints_the_key_once_and_the_store_holds_only_its_hash()
    {
        var run = await CapturedRun.Tally(["keys", "create", "--role", "writer", "--env", "staging", "--name", "ios", .. Store]);

        Assert.Equal(0, run.ExitCode);
        var key = Assert.Single(run.OutLines);
        Assert.Matches("^tly_[0-9A-Za-z]{32}$", key);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "tally.db"), TestContext.Current.CancellationToken);
        var wal = Path.Combine(_dir.Path, "tally.db-wal");
        if (File.Exists(wal)) bytes = [.. bytes, .. await File.ReadAllBytesAsync(wal, TestContext.Current.CancellationToken)];
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        Assert.DoesNotContain(key[4..], text);
        Assert.Contains(ApiKeySecret.Hash(key), text);
    }

    [Fact]
    public async Task List_shows_role_name_and_revocation_but_never_the_key_or_its_hash()
    {
        var writer = (await CapturedRun.Tally(["keys", "create", "--role", "writer", "--name", "ios", .. Store])).OutLines.Single();
        var viewer = (await CapturedRun.Tally(["keys", "create", "--role", "viewer", "--name", "grafana", .. Store])).OutLines.Single();
        var before = JsonDocument.Parse((await CapturedRun.Tally(["keys", "list", "--json", .. Store])).Out).RootElement.GetProperty("keys");
        var viewerId = before.EnumerateArray().Single(k => k.GetProperty("role").GetString() == "viewer").GetProperty("id").GetString()!;

        var revoke = await CapturedRun.Tally(["keys", "revoke", viewerId, .. Store]);
        var listed = await CapturedRun.Tally(["keys", "list", "--json", .. Store]);

        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal(0, listed.ExitCode);
        foreach (var secret in new[] { writer, viewer, ApiKeySecret.Hash(writer), ApiKeySecret.Hash(viewer) }) Assert.DoesNotContain(secret, listed.Out);
        var keys = JsonDocument.Parse(listed.Out).RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["ios", "grafana"], keys.Select(k => k.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, keys[0].GetProperty("revokedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, keys[1].GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task Revoking_an_unknown_id_fails_and_a_bad_role_is_refused()
    {
        var revoke = await CapturedRun.Tally(["keys", "revoke", "key_nope", .. Store]);
        var create = await CapturedRun.Tally(["keys", "create", "--role", "superuser", .. Store]);
        var envOnViewer = await CapturedRun.Tally(["keys", "create", "--role", "viewer", "--env", "staging", .. Store]);

        Assert.NotEqual(0, revoke.ExitCode);
        Assert.Contains("key_nope", revoke.Error);
        Assert.NotEqual(0, create.ExitCode);
        Assert.NotEqual(0, envOnViewer.ExitCode);
        Assert.Contains("writer", envOnViewer.Error);
    }
}
