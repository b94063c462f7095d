using System.Globalization;
using System.Reflection;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Schema;

/// <summary>
/// Creates the database and applies the embedded <c>Schema/NNN_name.sql</c> scripts in order, recording each in
/// <c>schema_version</c>. ClickHouse has no transactional DDL, so every statement is <c>IF NOT EXISTS</c>: a crash
/// mid-script leaves a database the next start finishes, and two stores starting at once only record a version twice.
/// </summary>
internal static class SchemaMigrator
{
    private const string ResourcePrefix = "Tally.Storage.ClickHouse.Schema.";

    /// <summary>Every embedded migration, lowest version first.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Brings the database up to the newest version; returns the versions it applied.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(ClickHouseHttp http, CancellationToken ct)
    {
        await http.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {SqlLiteral.Identifier(http.Database)}", ct, inDatabase: false).ConfigureAwait(false);
        await http.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    UInt32,
                name       String,
                applied_at Int64
            ) ENGINE = MergeTree
            ORDER BY version
            """, ct).ConfigureAwait(false);

        var rows = await http.QueryAsync("SELECT DISTINCT version FROM schema_version", 1, ct).ConfigureAwait(false);
        var done = rows.Select(r => (int)TabSeparated.Int64(r[0])).ToHashSet();
        var applied = new List<int>();
        foreach (var migration in All)
        {
            if (done.Contains(migration.Version))
            {
                continue;
            }

            foreach (var statement in migration.Statements)
            {
                await http.ExecuteAsync(statement, ct).ConfigureAwait(false);
            }

            await http.ExecuteAsync(
                $"INSERT INTO schema_version (version, name, applied_at) VALUES ({migration.Version}, {SqlLiteral.String(migration.Name)}, {SqlLiteral.Int64(UnixTime.ToMs(DateTimeOffset.UtcNow))})",
                ct).ConfigureAwait(false);
            applied.Add(migration.Version);
        }

        return applied;
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Schema script '{name}.sql' must be named NNN_description.sql.");
            }

            migrations.Add(new Migration(version, name, SqlScript.Statements(ReadResource(assembly, resource))));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two schema scripts share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded schema script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
