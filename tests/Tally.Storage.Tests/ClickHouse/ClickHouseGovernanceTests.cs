using Tally.Storage.Tests.Contract;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>The audit log contract on a real ClickHouse server.</summary>
public sealed class ClickHouseAuditLogTests() : AuditLogContract(new ClickHouseStoreFactory());

/// <summary>
/// The deletion contract on a real ClickHouse server, searched through every table of the database that
/// <c>system.tables</c> lists (views excepted: they store nothing) once the mutations have finished, and through the
/// mutation log, whose commands the server keeps.
/// </summary>
public sealed class ClickHouseSubjectStoreTests : SubjectStoreContract
{
    private readonly ClickHouseStoreFactory _factory;

    public ClickHouseSubjectStoreTests() : this(new ClickHouseStoreFactory())
    {
    }

    private ClickHouseSubjectStoreTests(ClickHouseStoreFactory factory) : base(factory) => _factory = factory;

    protected override async Task<IReadOnlyList<string>> PlacesHoldingAsync(string needle) =>
        await ClickHouseSearch.PlacesHoldingAsync(needle, _factory.Database, (sql, db) => ClickHouseServer.QueryAsync(sql, db));
}

/// <summary>Searches a database table by table, and its mutation commands, for a string.</summary>
internal static class ClickHouseSearch
{
    public static async Task<IReadOnlyList<string>> PlacesHoldingAsync(string needle, string database, Func<string, string?, Task<string>> query)
    {
        var places = new List<string>();
        var tables = (await query($"SELECT name FROM system.tables WHERE database = '{database}' AND engine NOT IN ('View', 'MaterializedView') ORDER BY name", null))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(tables);
        foreach (var table in tables)
        {
            if ((await query($"SELECT * FROM {table} FORMAT TabSeparated", database)).Contains(needle, StringComparison.Ordinal)) places.Add(table);
        }

        if ((await query($"SELECT command FROM system.mutations WHERE database = '{database}' FORMAT TabSeparated", null)).Contains(needle, StringComparison.Ordinal))
            places.Add("system.mutations");
        return places;
    }
}
