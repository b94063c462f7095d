using Tally.Storage.ClickHouse.Schema;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>How a single-node migration is placed on a cluster, checked on the real scripts and on statements a later script could hold.</summary>
public sealed class ShardedSchemaTests
{
    [Fact]
    public void Every_sharded_table_of_the_scripts_becomes_local_tables_and_a_Distributed_table_over_them()
    {
        var (perNode, entry) = ShardedSchema.Split(SchemaMigrator.All[0], "c", "db");

        foreach (var table in ShardedSchema.Sharded.Keys)
        {
            Assert.Contains(perNode, s => s.Contains($"CREATE TABLE IF NOT EXISTS {table}_local (", StringComparison.Ordinal));
            Assert.Contains($"CREATE TABLE IF NOT EXISTS {table} AS {table}_local ENGINE = Distributed(c, db, {table}_local, {ShardedSchema.Sharded[table]})", entry);
        }
        // The views feed the local tables of their own node.
        Assert.Contains(perNode, s => s.Contains("TO rollups_daily_local", StringComparison.Ordinal) && s.Contains("FROM events_local", StringComparison.Ordinal));
        Assert.Contains(perNode, s => s.Contains("TO seen_ids_local", StringComparison.Ordinal) && s.Contains("FROM counted_events_local", StringComparison.Ordinal));
        // Everything else stays whole on the entry node, under its own name.
        foreach (var table in new[] { "quarantine", "identity_links", "opt_outs" })
            Assert.Contains(entry, s => s.StartsWith($"CREATE TABLE IF NOT EXISTS {table} (", StringComparison.Ordinal));
        Assert.DoesNotContain(perNode, s => s.Contains("quarantine", StringComparison.Ordinal));
        // Names that merely start with a sharded table's name are left alone.
        Assert.Contains(perNode, s => s.Contains("VIEW IF NOT EXISTS events_to_rollups ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_column_added_to_a_sharded_table_is_added_to_the_local_tables_and_the_Distributed_table()
    {
        var migration = new Migration(2, "002_more", ["ALTER TABLE events ADD COLUMN IF NOT EXISTS locale String DEFAULT ''"]);

        var (perNode, entry) = ShardedSchema.Split(migration, "c", "db");

        Assert.Equal(["ALTER TABLE events_local ADD COLUMN IF NOT EXISTS locale String DEFAULT ''"], perNode);
        Assert.Equal(["ALTER TABLE events ADD COLUMN IF NOT EXISTS locale String DEFAULT ''"], entry);
    }

    [Fact]
    public void A_statement_on_a_sharded_table_it_cannot_place_is_refused_rather_than_guessed()
    {
        var migration = new Migration(2, "002_odd", ["CREATE TABLE IF NOT EXISTS events_copy AS events"]);

        var error = Assert.Throws<InvalidOperationException>(() => ShardedSchema.Split(migration, "c", "db"));

        Assert.Contains("002_odd", error.Message);
    }

    [Fact]
    public void The_dimensions_migration_changes_local_sort_keys_and_views_on_every_node_and_only_columns_on_the_entry_node()
    {
        var migration = SchemaMigrator.All.Single(m => m.Version == 4);

        var (perNode, entry) = ShardedSchema.Split(migration, "c", "db");

        Assert.Contains("ALTER TABLE rollups_daily_local ADD COLUMN dimensions String, MODIFY ORDER BY (day, name, environment, source, dimensions)", perNode);
        Assert.Contains("ALTER TABLE counted_events_local ADD COLUMN dimensions String", perNode);
        Assert.Contains("DROP TABLE IF EXISTS counted_events_to_rollups", perNode);
        Assert.Contains("DROP TABLE IF EXISTS events_to_rollups", perNode);
        Assert.Contains(perNode, s => s.Contains("VIEW IF NOT EXISTS counted_events_to_rollups TO rollups_daily_local", StringComparison.Ordinal));
        Assert.Equal(["ALTER TABLE counted_events ADD COLUMN dimensions String", "ALTER TABLE rollups_daily ADD COLUMN dimensions String"], entry);
    }
}
