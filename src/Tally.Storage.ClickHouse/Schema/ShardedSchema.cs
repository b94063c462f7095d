using System.Text.RegularExpressions;

namespace Tally.Storage.ClickHouse.Schema;

/// <summary>
/// The sharded layout of a migration (docs/scale-out.md). The tables that grow with traffic (<c>events</c>,
/// <c>counted_events</c>, <c>seen_ids</c>, <c>rollups_daily</c>) become <c>NAME_local</c> on every node, their
/// materialized views feed the local tables of the same node, and the entry node gets a <c>Distributed</c> table under
/// the old name over them, so every query and INSERT of the store runs unchanged. The other tables stay whole on the
/// entry node. The single-node scripts are the one source of truth: a statement that names a sharded table (as a whole
/// word; the scripts never put these names in literals or column names) is rewritten to its local names.
/// </summary>
internal static partial class ShardedSchema
{
    public const string LocalSuffix = "_local";

    /// <summary>
    /// The sharding key of each sharded table. Events go by their actor: the session, else the user, else the
    /// anonymous id, so a session's events (the default unit of funnels and journeys) are always on one shard. Counted
    /// events have no actor and go by id. seen_ids and rollups_daily are written by the views on the shard of their
    /// event; the keys below only place the few rows a repair of a cut-short write inserts directly (any shard is
    /// right for them: both are read across all shards).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Sharded { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["events"] = "sipHash64(if(session_id != '', session_id, if(user_id != '', user_id, anonymous_id)))",
        ["counted_events"] = "sipHash64(event_id)",
        ["seen_ids"] = "sipHash64(event_id)",
        ["rollups_daily"] = "sipHash64(name)",
    };

    private static readonly Regex ShardedName = new($@"\b({string.Join('|', Sharded.Keys)})\b", RegexOptions.CultureInvariant);

    /// <summary>The statements of <paramref name="migration"/> to run on every node, and those to run on the entry node after them.</summary>
    public static (IReadOnlyList<string> PerNode, IReadOnlyList<string> Entry) Split(Migration migration, string cluster, string database)
    {
        var perNode = new List<string>();
        var entry = new List<string>();
        // Views feeding sharded tables live on every node; one the migration drops to create again is dropped on every node.
        var views = migration.Statements.Select(s => CreateView().Match(s)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var statement in migration.Statements)
        {
            if (DropTable().Match(statement) is { Success: true } drop && views.Contains(drop.Groups[1].Value))
            {
                perNode.Add(statement);
                continue;
            }

            var local = ShardedName.Replace(statement, m => m.Value + LocalSuffix);
            if (local == statement)
            {
                entry.Add(statement);
                continue;
            }

            perNode.Add(local);
            if (CreateTable().Match(statement) is { Success: true } create && Sharded.TryGetValue(create.Groups[1].Value, out var key))
            {
                var table = create.Groups[1].Value;
                entry.Add($"CREATE TABLE IF NOT EXISTS {table} AS {table}{LocalSuffix} ENGINE = Distributed({cluster}, {database}, {table}{LocalSuffix}, {key})");
            }
            else if (AlterTable().Match(statement) is { Success: true } alter && Sharded.ContainsKey(alter.Groups[1].Value))
            {
                // A column added to the local tables is added to the Distributed table too, with the same statement
                // less a change of sort key, which only the local tables have.
                entry.Add(ModifyOrderBy().Replace(statement, ""));
            }
            else if (!CreateView().IsMatch(statement))
            {
                throw new InvalidOperationException(
                    $"Schema script {migration.Name} has a statement on a sharded table that the sharded layout does not know how to place: {statement}");
            }
        }

        return (perNode, entry);
    }

    [GeneratedRegex(@"^\s*CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(\w+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^\s*ALTER\s+TABLE\s+(\w+)\s+(ADD|MODIFY|DROP)\s+COLUMN\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AlterTable();

    [GeneratedRegex(@"^\s*CREATE\s+MATERIALIZED\s+VIEW\s+IF\s+NOT\s+EXISTS\s+(\w+)\s+TO\s+\w+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CreateView();

    [GeneratedRegex(@"^\s*DROP\s+TABLE\s+IF\s+EXISTS\s+(\w+)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DropTable();

    [GeneratedRegex(@",\s*MODIFY\s+ORDER\s+BY\s*\([^)]*\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ModifyOrderBy();
}
