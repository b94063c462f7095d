using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Governance;
using Tally.Core.Privacy;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.Server.Governance;
using Tally.Storage.Sqlite;

namespace Tally.Core.Tests.Cli;

/// <summary><c>tally forget</c> and <c>tally audit</c> on an embedded store and an export directory.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ForgetAndAuditCommandTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Data => Path.Combine(_dir.Path, "data");

    private string Export => Path.Combine(_dir.Path, "export");

    public void Dispose() => _dir.Dispose();

    private static CollectedEvent Event(string? anonymousId, string? userId, int minute) => new()
    {
        EventId = Some.Id(),
        Name = "page_viewed",
        Timestamp = At.AddMinutes(minute),
        ReceivedAt = At.AddMinutes(minute),
        AnonymousId = anonymousId,
        UserId = userId,
        SessionId = "s-" + (userId ?? anonymousId),
    };

    private async Task SeedAsync(string user, string anonymous, string other)
    {
        Directory.CreateDirectory(Data);
        await using var store = await SqliteEventStore.OpenAsync(Path.Combine(Data, "tally.db"), Ct);
        await store.WriteAsync(new WriteBatch(
            [Event(anonymous, null, 1), Event(anonymous, user, 2), Event(null, other, 3)], [],
            [new IdentityLink(anonymous, user, IdentityLink.Identify, At)]), Ct);
        await new EventExporter(store, TestPlans.Shop).ExportAsync(Export, At, At.AddHours(1), ct: Ct);
    }

    private string ExportText()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(Export, "*.json.gz", SearchOption.AllDirectories))
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    [Fact]
    public async Task Forget_deletes_the_subject_from_store_and_export_prints_the_receipt_and_audit_shows_it()
    {
        var (user, anonymous, other) = (Some.Id(), Some.Id(), Some.Id());
        await SeedAsync(user, anonymous, other);
        Environment.SetEnvironmentVariable("TALLY_HASH_SALT", "cli-test-salt");
        try
        {
            var run = await CapturedRun.Tally("forget", "--anonymous", anonymous, "--data", Data, "--export-dir", Export, "--json");

            Assert.True(run.ExitCode == 0, run.Error);
            var receipt = JsonDocument.Parse(run.Out).RootElement;
            Assert.Equal(("anonymous", 2L, 1L, 2L, 1), (receipt.GetProperty("kind").GetString(), receipt.GetProperty("events").GetInt64(),
                receipt.GetProperty("identityLinks").GetInt64(), receipt.GetProperty("exportRows").GetInt64(), receipt.GetProperty("exportFiles").GetInt32()));
            var text = ExportText();
            Assert.DoesNotContain(user, text);
            Assert.DoesNotContain(anonymous, text);
            Assert.Contains(other, text);
            await using (var store = await SqliteEventStore.OpenAsync(Path.Combine(Data, "tally.db"), Ct))
            {
                Assert.Equal([other], await store.ReadEventsAsync(new EventQuery(), Ct).Select(e => e.UserId).ToListAsync(Ct));
                var hasher = new PropertyHasher(Encoding.UTF8.GetBytes("cli-test-salt"));
                Assert.Equal(new[] { hasher.Hash(user), hasher.Hash(anonymous), hasher.Hash("s-" + user), hasher.Hash("s-" + anonymous) }.Order(), await store.ReadSuppressedAsync(Ct));
            }

            var again = await CapturedRun.Tally("forget", "--anonymous", anonymous, "--data", Data, "--export-dir", Export);
            Assert.Equal(0, again.ExitCode);
            Assert.Contains(again.OutLines, l => l == "raw events       0");

            var audit = await CapturedRun.Tally("audit", "--data", Data, "--action", "subjects.delete", "--json");
            Assert.True(audit.ExitCode == 0, audit.Error);
            Assert.DoesNotContain(anonymous, audit.Out);
            var entries = JsonDocument.Parse(audit.Out).RootElement.GetProperty("entries").EnumerateArray().ToList();
            Assert.Equal(2, entries.Count);
            Assert.All(entries, e => Assert.StartsWith("anonymous:", e.GetProperty("target").GetString()));
            Assert.Contains("events=2", entries[1].GetProperty("detail").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("TALLY_HASH_SALT", null);
        }
    }

    [Fact]
    public async Task Forget_needs_exactly_one_subject()
    {
        var both = await CapturedRun.Tally("forget", "--user", "u", "--session", "s", "--data", Data);
        var none = await CapturedRun.Tally("forget", "--data", Data);

        Assert.Equal((2, 2), (both.ExitCode, none.ExitCode));
        Assert.Contains("exactly one subject", both.Error);
    }
}
