using Microsoft.Data.Sqlite;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite.Schema;

/// <summary>
/// Applies the embedded <c>Schema/NNN_name.sql</c> scripts in order, each in its own transaction together with its
/// row in <c>schema_version</c>, so a crash mid-migration leaves the database at the previous version.
/// </summary>
internal static class SchemaMigrator
{
    private const string ResourcePrefix = "Tally.Storage.Sqlite.Schema.";

    /// <summary>Every embedded migration, lowest version first.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Brings the database up to the newest version; returns the versions it applied.</summary>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    INTEGER NOT NULL PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL
                )
                """;
            create.ExecuteNonQuery();
        }

        var applied = new List<int>();
        foreach (var migration in All)
        {
            // BEGIN IMMEDIATE: a second process migrating the same file waits here instead of applying twice.
            using var tx = connection.BeginTransaction(deferred: false);
            using (var check = connection.CreateCommand())
            {
                check.Transaction = tx;
                check.CommandText = "SELECT 1 FROM schema_version WHERE version = $v";
                check.Parameters.AddWithValue("$v", migration.Version);
                if (check.ExecuteScalar() is not null)
                {
                    continue;
                }
            }

            using (var script = connection.CreateCommand())
            {
                script.Transaction = tx;
                script.CommandText = migration.Sql;
                script.ExecuteNonQuery();
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $at)";
                record.Parameters.AddWithValue("$v", migration.Version);
                record.Parameters.AddWithValue("$n", migration.Name);
                record.Parameters.AddWithValue("$at", UnixTime.ToMs(DateTimeOffset.UtcNow));
                record.ExecuteNonQuery();
            }

            tx.Commit();
            applied.Add(migration.Version);
        }

        return applied;
    }

    private static List<Migration> Load() =>
        SchemaScript.Embedded(typeof(SchemaMigrator).Assembly, ResourcePrefix).Select(s => new Migration(s.Version, s.Name, s.Text)).ToList();
}
