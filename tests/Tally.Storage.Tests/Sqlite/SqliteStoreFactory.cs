using Tally.Core.Storage;
using Tally.Storage.Sqlite;
using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>Stores on a real SQLite file in a temporary directory of the test's own, deleted afterwards.</summary>
internal sealed class SqliteStoreFactory : IEventStoreFactory
{
    private readonly TempDirectory _directory = new();

    /// <summary>The database file; in a sub-folder that does not exist yet, so opening must create it.</summary>
    public string DatabasePath => _directory.File(Path.Combine("data", "tally.db"));

    public string DirectoryPath => _directory.Path;

    public async Task<IEventStore> CreateAsync() => await SqliteEventStore.OpenAsync(DatabasePath);

    public Task<IEventStore> ReopenAsync() => CreateAsync();

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
