using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>The write-ahead log is checkpointed in the background, not inside a commit that clients wait on.</summary>
public sealed class WalCheckpointTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _directory.File("tally.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Committed_pages_reach_the_database_file_without_waiting_for_a_large_log()
    {
        await using var store = await SqliteEventStore.OpenAsync(DatabasePath, Ct);
        var before = new FileInfo(DatabasePath).Length;

        await store.WriteAsync(new WriteBatch(Some.Events(2_000), [], []), Ct);

        // The commit's own automatic checkpoint only starts at ~400 MiB of log; the background one copies these
        // pages into the file within a few seconds, while the store stays open.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(DatabasePath).Length <= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(new FileInfo(DatabasePath).Length > before, "the write-ahead log was not checkpointed into the database");
    }
}
