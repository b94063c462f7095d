using System.Text;
using Microsoft.Data.Sqlite;
using Tally.Storage.Tests.Contract;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>The audit log contract on a real SQLite file.</summary>
public sealed class SqliteAuditLogTests() : AuditLogContract(new SqliteStoreFactory());

/// <summary>
/// The deletion contract on a real SQLite file, searched table by table and then byte by byte: the database file and
/// its write-ahead log must not hold a deleted id even in free pages or older page copies.
/// </summary>
public sealed class SqliteSubjectStoreTests : SubjectStoreContract
{
    private readonly SqliteStoreFactory _factory;

    public SqliteSubjectStoreTests() : this(new SqliteStoreFactory())
    {
    }

    private SqliteSubjectStoreTests(SqliteStoreFactory factory) : base(factory) => _factory = factory;

    protected override async Task<IReadOnlyList<string>> PlacesHoldingAsync(string needle)
    {
        var places = new List<string>();
        var builder = new SqliteConnectionStringBuilder { DataSource = _factory.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using (var connection = new SqliteConnection(builder.ToString()))
        {
            await connection.OpenAsync(Ct);
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                await using var reader = await list.ExecuteReaderAsync(Ct);
                while (await reader.ReadAsync(Ct)) tables.Add(reader.GetString(0));
            }

            foreach (var table in tables)
            {
                await using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync(Ct);
                while (await reader.ReadAsync(Ct))
                {
                    var holds = false;
                    for (var i = 0; i < reader.FieldCount && !holds; i++)
                        holds = !reader.IsDBNull(i) && Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!.Contains(needle, StringComparison.Ordinal);
                    if (!holds) continue;
                    places.Add(table);
                    break;
                }
            }
        }

        var bytes = Encoding.UTF8.GetBytes(needle);
        foreach (var suffix in new[] { "", "-wal" })
        {
            var path = _factory.DatabasePath + suffix;
            if (!File.Exists(path)) continue;
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var content = new byte[file.Length];
            await file.ReadExactlyAsync(content, Ct);
            if (content.AsSpan().IndexOf(bytes) >= 0) places.Add("file " + Path.GetFileName(path));
        }

        return places;
    }
}
