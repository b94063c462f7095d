using System.Diagnostics;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>
/// Removes quarantined events with an <c>ALTER TABLE ... DELETE</c> mutation, which really deletes the rows (a
/// tombstone table would keep replayed payloads forever). 18.16 runs mutations in the background and has no
/// <c>mutations_sync</c>, so this polls <c>system.mutations</c> until the table has none left to do: when it returns,
/// no read sees the removed rows. The caller holds the write gate, so no other removal of this store is in flight.
/// </summary>
internal sealed class QuarantineRemoval(ClickHouseHttp http)
{
    /// <summary>How many ids go into one ALTER, to stay well inside the default 256 KiB <c>max_query_size</c>.</summary>
    private const int IdsPerMutation = 1000;

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    /// <summary>Removes the rows with these quarantine ids; returns how many of the ids were there.</summary>
    public async Task<int> RemoveAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var present = (await http.QueryAsync(
                "SELECT DISTINCT id FROM quarantine WHERE id IN ids", 1, ct,
                ExternalTable.Ids("ids", ids.Distinct(StringComparer.Ordinal))).ConfigureAwait(false))
            .Select(r => r[0])
            .ToList();
        if (present.Count == 0)
        {
            return 0;
        }

        // A mutation cannot use external tables (it runs after the request ends), so the ids go in as literals.
        foreach (var chunk in present.Chunk(IdsPerMutation))
        {
            var list = string.Join(", ", chunk.Select(SqlLiteral.String));
            await http.ExecuteAsync($"ALTER TABLE quarantine DELETE WHERE id IN ({list})", ct).ConfigureAwait(false);
        }

        await WaitForMutationsAsync(ct).ConfigureAwait(false);
        return present.Count;
    }

    private async Task WaitForMutationsAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var sql = $"""
            SELECT count() FROM system.mutations
            WHERE database = {SqlLiteral.String(http.Database)} AND table = 'quarantine' AND is_done = 0
            """;
        while (true)
        {
            var pending = TabSeparated.Int64((await http.QueryAsync(sql, 1, ct).ConfigureAwait(false))[0][0]);
            if (pending == 0)
            {
                return;
            }

            if (clock.Elapsed > GiveUpAfter)
            {
                throw new ClickHouseException(
                    $"Removing quarantined events: {pending} mutation(s) of {http.Database}.quarantine still not done after {GiveUpAfter.TotalSeconds:0}s; see system.mutations.");
            }

            await Task.Delay(PollEvery, ct).ConfigureAwait(false);
        }
    }
}
