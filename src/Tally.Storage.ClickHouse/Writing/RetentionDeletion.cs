using System.Diagnostics;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Schema;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>
/// Deletes rows of a growing table with an <c>ALTER TABLE ... DELETE</c> mutation and waits until it is done. 18.16 runs
/// mutations in the background and has no <c>mutations_sync</c>, so this polls <c>system.mutations</c> until the table
/// has none left to do. A Distributed table cannot be altered: on the sharded layout the mutation runs on every node's
/// local table (the entry node holds one too), and each node is waited for.
/// </summary>
internal sealed class RetentionDeletion(ClickHouseHttp entry, ClusterNodes? cluster)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);

    /// <summary>A mutation rewrites every part it touches; a large table may take a while, but not forever.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Deletes the rows of <paramref name="table"/> (a table name of the single-node schema) matching <paramref name="where"/>.</summary>
    public async Task DeleteAsync(string table, string where, CancellationToken ct)
    {
        var local = cluster is null ? table : table + ShardedSchema.LocalSuffix;
        IReadOnlyList<ClickHouseHttp> nodes = cluster is null ? [entry] : [entry, .. cluster.Others];
        foreach (var node in nodes)
        {
            await node.ExecuteAsync($"ALTER TABLE {local} DELETE WHERE {where}", ct).ConfigureAwait(false);
        }

        foreach (var node in nodes)
        {
            await WaitAsync(node, local, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops whole month partitions of <paramref name="table"/> on every node: no rewrite at all, unlike a mutation, which
    /// on 18.16 rewrites every part of the table whether or not it holds a matching row.
    /// </summary>
    public async Task DropPartitionsAsync(string table, IReadOnlyList<long> months, CancellationToken ct)
    {
        var local = cluster is null ? table : table + ShardedSchema.LocalSuffix;
        IReadOnlyList<ClickHouseHttp> nodes = cluster is null ? [entry] : [entry, .. cluster.Others];
        foreach (var month in months)
        {
            foreach (var node in nodes)
            {
                await node.ExecuteAsync($"ALTER TABLE {local} DROP PARTITION {SqlLiteral.Int64(month)}", ct).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitAsync(ClickHouseHttp node, string table, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var sql = $"""
            SELECT count() FROM system.mutations
            WHERE database = {SqlLiteral.String(node.Database)} AND table = {SqlLiteral.String(table)} AND is_done = 0
            """;
        while (true)
        {
            var pending = TabSeparated.Int64((await node.QueryAsync(sql, 1, ct).ConfigureAwait(false))[0][0]);
            if (pending == 0)
            {
                return;
            }

            if (clock.Elapsed > GiveUpAfter)
            {
                throw new ClickHouseException(
                    $"Retention: {pending} mutation(s) of {node.Database}.{table} on {node.BaseUri} still not done after {GiveUpAfter.TotalMinutes:0} min; see system.mutations.");
            }

            await Task.Delay(PollEvery, ct).ConfigureAwait(false);
        }
    }
}
