using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Schema;

/// <summary>
/// Creates the database and applies the embedded <c>Schema/NNN_name.sql</c> scripts in order, recording each in
/// <c>schema_version</c>. ClickHouse has no transactional DDL, so every statement is <c>IF NOT EXISTS</c>: a crash
/// mid-script leaves a database the next start finishes, and two stores starting at once only record a version twice.
/// </summary>
internal static partial class SchemaMigrator
{
    private const string ResourcePrefix = "Tally.Storage.ClickHouse.Schema.";

    /// <summary>Every embedded migration, lowest version first.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>Brings the database up to the newest version; returns the versions it applied.</summary>
    public static Task<IReadOnlyList<int>> MigrateAsync(ClickHouseHttp http, CancellationToken ct) => MigrateAsync(http, null, ct);

    /// <summary>
    /// Brings the database up to the newest version, in the sharded layout when <paramref name="cluster"/> is given:
    /// each migration's local tables on every node first, then the entry node's tables. Versions are recorded on the
    /// entry node only, after a migration ran everywhere; every statement is <c>IF NOT EXISTS</c>, so a migration cut
    /// short on some node is run again whole on the next start.
    /// </summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(ClickHouseHttp http, ClusterNodes? cluster, CancellationToken ct)
    {
        var nodes = cluster is null ? [http] : (IReadOnlyList<ClickHouseHttp>)[http, .. cluster.Others];
        foreach (var node in nodes)
        {
            await node.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {SqlLiteral.Identifier(node.Database)}", ct, inDatabase: false).ConfigureAwait(false);
        }

        if (cluster is not null)
        {
            await CheckClusterAsync(http, cluster, nodes.Count, ct).ConfigureAwait(false);
        }

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

            var (perNode, entry) = cluster is null
                ? ((IReadOnlyList<string>)[], migration.Statements)
                : ShardedSchema.Split(migration, cluster.Name, http.Database);
            foreach (var node in nodes)
            {
                foreach (var statement in perNode)
                {
                    await ExecuteAsync(node, statement, ct).ConfigureAwait(false);
                }
            }

            foreach (var statement in entry)
            {
                await ExecuteAsync(http, statement, ct).ConfigureAwait(false);
            }

            await http.ExecuteAsync(
                $"INSERT INTO schema_version (version, name, applied_at) VALUES ({migration.Version}, {SqlLiteral.String(migration.Name)}, {SqlLiteral.Int64(UnixTime.ToMs(DateTimeOffset.UtcNow))})",
                ct).ConfigureAwait(false);
            applied.Add(migration.Version);
        }

        if (cluster is not null)
        {
            // Reads every shard's local table: a shard without it (a node missing from ?nodes=) answers with an error naming it.
            await http.QueryAsync("SELECT count() FROM seen_ids", 1, ct).ConfigureAwait(false);
        }

        return applied;
    }

    /// <summary>
    /// Fails at start, with what to do, when the cluster is unknown to the entry node or has more shards than the store
    /// was given nodes for: otherwise the first write would fail instead, with a less helpful message.
    /// </summary>
    private static async Task CheckClusterAsync(ClickHouseHttp http, ClusterNodes cluster, int nodes, CancellationToken ct)
    {
        var shards = TabSeparated.Int64((await http.QueryAsync(
            $"SELECT uniqExact(shard_num) FROM system.clusters WHERE cluster = {SqlLiteral.String(cluster.Name)}", 1, ct).ConfigureAwait(false))[0][0]);
        if (shards == 0)
        {
            throw new ClickHouseException(
                $"ClickHouse at {http.BaseUri} has no cluster '{cluster.Name}' in its remote_servers config (see docs/scale-out.md).");
        }

        if (shards > nodes)
        {
            throw new ClickHouseException(
                $"Cluster '{cluster.Name}' has {shards} shards but the store was given {nodes} nodes: list every shard's HTTP address in ?nodes=.");
        }
    }

    /// <summary>
    /// Runs one statement, except an <c>ALTER TABLE … ADD COLUMN</c> whose column the table has already: 18.16 knows no
    /// <c>ADD COLUMN IF NOT EXISTS</c>, and a migration cut short is run again whole. The ALTER's other clauses (a sort
    /// key that takes the new column in) were applied with the column, by the same ALTER.
    /// </summary>
    private static async Task ExecuteAsync(ClickHouseHttp node, string statement, CancellationToken ct)
    {
        if (AddColumn().Match(statement) is { Success: true } add)
        {
            var rows = await node.QueryAsync(
                $"SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = {SqlLiteral.String(add.Groups[1].Value)} AND name = {SqlLiteral.String(add.Groups[2].Value)}",
                1, ct).ConfigureAwait(false);
            if (TabSeparated.Int64(rows[0][0]) > 0)
            {
                return;
            }
        }

        await node.ExecuteAsync(statement, ct).ConfigureAwait(false);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex AddColumn();

    private static List<Migration> Load() =>
        SchemaScript.Embedded(typeof(SchemaMigrator).Assembly, ResourcePrefix).Select(s => new Migration(s.Version, s.Name, SqlScript.Statements(s.Text))).ToList();
}
