using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.ClickHouse.Http;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>
/// Every write of the store. ClickHouse has no unique keys and no transactions, so exactly-once per event id is
/// check-then-insert: ask which ids of the batch are stored already, insert only the others. That is safe only while
/// one writer does it at a time: the store serialises its writes, and several collectors writing one database need
/// the spool and insert-id scheme that comes later. Not thread-safe; the caller holds the store's write gate.
/// </summary>
internal sealed class StoreWriter(ClickHouseHttp http)
{
    private readonly PartialWriteRepair _repair = new(http);
    // True until a write has succeeded, and again after any write fails: the previous process, or the failed write,
    // may have been cut short between an INSERT's table and its views.
    private bool _mayBePartial = true;

    /// <summary>
    /// Writes one batch: one INSERT per table that has rows. An event, its id in <c>seen_ids</c> and its roll-up count
    /// are one INSERT (the materialized views), so if a later INSERT fails and the caller retries the batch, what was
    /// written reads as Duplicate and the rest is written: a retried batch ends up exactly once. An INSERT cut short
    /// between its table and its views by a server crash is finished by <see cref="PartialWriteRepair"/>.
    /// </summary>
    public async Task<WriteResult> WriteAsync(WriteBatch batch, CancellationToken ct)
    {
        try
        {
            var result = await WriteOnceAsync(batch, ct).ConfigureAwait(false);
            _mayBePartial = false;
            return result;
        }
        catch
        {
            _mayBePartial = true;
            throw;
        }
    }

    private async Task<WriteResult> WriteOnceAsync(WriteBatch batch, CancellationToken ct)
    {
        var events = batch.Events;
        var outcomes = new WriteOutcome[events.Count];

        // The first occurrence of an id in the batch is the candidate; later ones are duplicates of it.
        var firstIndex = new Dictionary<string, int>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            if (!firstIndex.TryAdd(events[i].EventId, i))
            {
                outcomes[i] = WriteOutcome.Duplicate;
            }
        }

        var stored = firstIndex.Count == 0 ? [] : await ExistingEventIdsAsync(firstIndex.Keys, ct).ConfigureAwait(false);
        if (_mayBePartial)
        {
            var unseen = firstIndex.Where(f => !stored.Contains(f.Key)).Select(f => events[f.Value]).ToList();
            if (unseen.Count > 0)
            {
                stored.UnionWith(await _repair.RepairAsync(unseen, ct).ConfigureAwait(false));
            }
        }

        using var raw = new JsonEachRow();
        using var counted = new JsonEachRow();
        foreach (var (id, i) in firstIndex)
        {
            var e = events[i];
            if (stored.Contains(id))
            {
                outcomes[i] = WriteOutcome.Duplicate;
            }
            else if (e.AggregateOnly)
            {
                CountedEventRows.Add(counted, e);
                outcomes[i] = WriteOutcome.Counted;
            }
            else
            {
                EventRows.Add(raw, e);
                outcomes[i] = WriteOutcome.Stored;
            }
        }

        using var quarantine = new JsonEachRow();
        if (batch.Quarantined.Count > 0)
        {
            await AddNewQuarantinedAsync(batch.Quarantined, quarantine, ct).ConfigureAwait(false);
        }

        using var links = new JsonEachRow();
        foreach (var link in batch.Links)
        {
            LinkRows.Add(links, link, WriteSequence.Next());
        }

        await InsertAsync(EventRows.Table, raw, ct).ConfigureAwait(false);
        await InsertAsync(CountedEventRows.Table, counted, ct).ConfigureAwait(false);
        await InsertAsync(QuarantineRows.Table, quarantine, ct).ConfigureAwait(false);
        await InsertAsync(LinkRows.Table, links, ct).ConfigureAwait(false);
        return new WriteResult(outcomes, quarantine.Count);
    }

    public async Task SetOptOutAsync(string actorId, bool optedOut, DateTimeOffset at, CancellationToken ct)
    {
        using var row = new JsonEachRow();
        OptOutRows.Add(row, actorId, optedOut, at, WriteSequence.Next());
        await InsertAsync(OptOutRows.Table, row, ct).ConfigureAwait(false);
    }

    /// <summary>The ids among <paramref name="ids"/> stored as raw events or counted as aggregate-only events.</summary>
    private async Task<HashSet<string>> ExistingEventIdsAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        // seen_ids is sorted by id, so this reads only the granules that can hold the batch's ids.
        var rows = await http.QueryAsync("SELECT event_id FROM seen_ids WHERE event_id IN ids", 1, ct, ExternalTable.Ids("ids", ids)).ConfigureAwait(false);
        return rows.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds the quarantined events that are new to <paramref name="rows"/>: none with the same event id (a retry) or the
    /// same quarantine id is kept already, nor earlier in the batch.
    /// </summary>
    private async Task AddNewQuarantinedAsync(IReadOnlyList<QuarantinedEvent> batch, JsonEachRow rows, CancellationToken ct)
    {
        var kept = await http.QueryAsync(
            "SELECT id, event_id FROM quarantine WHERE id IN qids OR event_id IN qevents",
            2, ct,
            ExternalTable.Ids("qids", batch.Select(q => q.Id).Distinct(StringComparer.Ordinal)),
            ExternalTable.Ids("qevents", batch.Select(q => q.EventId).Distinct(StringComparer.Ordinal))).ConfigureAwait(false);
        var ids = kept.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var eventIds = kept.Select(r => r[1]).ToHashSet(StringComparer.Ordinal);
        foreach (var q in batch)
        {
            // A clash on either key skips the row, as the SQLite store's two unique constraints do.
            if (!ids.Contains(q.Id) && !eventIds.Contains(q.EventId))
            {
                ids.Add(q.Id);
                eventIds.Add(q.EventId);
                QuarantineRows.Add(rows, q);
            }
        }
    }

    private async Task InsertAsync(string table, JsonEachRow rows, CancellationToken ct)
    {
        if (rows.Count > 0)
        {
            await http.InsertAsync(table, rows, ct).ConfigureAwait(false);
        }
    }
}
