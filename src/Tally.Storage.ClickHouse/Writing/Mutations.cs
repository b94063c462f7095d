using System.Diagnostics;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>
/// Waits for <c>ALTER TABLE ... DELETE</c> mutations. 18.16 runs them in the background and has no
/// <c>mutations_sync</c>, so this polls <c>system.mutations</c> until none of the tables has one left to do: when it
/// returns, no read sees the deleted rows.
/// </summary>
internal static class Mutations
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task WaitAsync(ClickHouseHttp http, IReadOnlyCollection<string> tables, CancellationToken ct)
    {
        if (tables.Count == 0) return;
        var clock = Stopwatch.StartNew();
        var sql = $"""
            SELECT count() FROM system.mutations
            WHERE database = {SqlLiteral.String(http.Database)} AND table IN ({string.Join(", ", tables.Select(SqlLiteral.String))}) AND is_done = 0
            """;
        while (true)
        {
            var pending = TabSeparated.Int64((await http.QueryAsync(sql, 1, ct).ConfigureAwait(false))[0][0]);
            if (pending == 0) return;
            if (clock.Elapsed > GiveUpAfter)
            {
                throw new ClickHouseException(
                    $"{pending} deletion mutation(s) in {http.Database} on {http.BaseUri} still not done after {GiveUpAfter.TotalMinutes:0} min; see system.mutations.");
            }

            await Task.Delay(PollEvery, ct).ConfigureAwait(false);
        }
    }
}
