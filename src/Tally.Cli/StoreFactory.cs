using Tally.Core.Storage;
using Tally.Storage.ClickHouse;
using Tally.Storage.Sqlite;

namespace Tally.Cli;

/// <summary>
/// Opens the store a URI names: <c>sqlite://PATH</c> (default: DATA/tally.db) or
/// <c>clickhouse://HOST:PORT/DATABASE</c> (ClickHouse's HTTP port).
/// </summary>
public static class StoreFactory
{
    public static (IEventStore? Store, string? Error) Open(string? uri, string dataDir)
    {
        if (string.IsNullOrEmpty(uri)) return (new SqliteEventStore(Path.Combine(dataDir, "tally.db")), null);
        if (uri.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase)) return (new SqliteEventStore(uri["sqlite://".Length..]), null);
        if (uri.StartsWith(ClickHouseStoreUri.Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            return ClickHouseStoreUri.TryParse(uri, out var clickHouse, out var error)
                ? (new ClickHouseEventStore(clickHouse!), null)
                : (null, error);
        }

        return (null, $"unknown store '{uri}': use sqlite://PATH or clickhouse://HOST:PORT/DATABASE");
    }
}
