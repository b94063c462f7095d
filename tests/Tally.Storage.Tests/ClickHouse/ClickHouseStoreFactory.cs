using Tally.Core.Storage;
using Tally.Storage.ClickHouse;
using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>Stores in a database of the test's own on the real server, dropped afterwards.</summary>
internal sealed class ClickHouseStoreFactory : IEventStoreFactory
{
    public string Database { get; } = ClickHouseServer.NewDatabaseName();

    public ClickHouseStoreUri Uri => new(ClickHouseServer.Url, Database);

    public async Task<IEventStore> CreateAsync() => await ClickHouseEventStore.OpenAsync(Uri);

    public Task<IEventStore> ReopenAsync() => CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ClickHouseServer.Variable)))
        {
            await ClickHouseServer.DropDatabaseAsync(Database);
        }
    }
}
