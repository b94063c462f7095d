using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite.Dedup;

/// <summary>
/// Every event id the file holds (raw events and counted aggregate-only ids), as fingerprints in memory: the exact
/// deduplication that the random-keyed primary key used to do, without a B-tree page written per event.
/// <para>
/// Exact across processes: <c>events</c> and <c>seen_ids</c> are append-only with strictly increasing <c>seq</c>
/// (AUTOINCREMENT), so at the start of every write transaction — under SQLite's write lock, where no other process
/// can append — <see cref="CatchUp"/> reads the rows appended since the last ones this writer knows, e.g. by
/// <c>tally ingest</c> or <c>tally quarantine replay</c> beside a running server. Ids of deleted rows stay known, so
/// a late retry of a deleted event is still a duplicate rather than coming back.
/// </para>
/// Not thread-safe: the store's writer calls it under its write gate.
/// </summary>
internal sealed class KnownEventIds : IDisposable
{
    private readonly FingerprintSet _set;
    private readonly StoredIds _newEvents;
    private readonly StoredIds _newSeenIds;
    private readonly SqliteCommand _lastSeqs;
    private long _lastEventSeq;
    private long _lastSeenIdSeq;

    private KnownEventIds(SqliteConnection connection, FingerprintSet set)
    {
        _set = set;
        _newEvents = new StoredIds(connection, "events");
        _newSeenIds = new StoredIds(connection, "seen_ids");
        _lastSeqs = connection.CreateCommand();
        _lastSeqs.CommandText = "SELECT (SELECT ifnull(max(seq), 0) FROM events), (SELECT ifnull(max(seq), 0) FROM seen_ids)";
    }

    public int Count => _set.Count;

    /// <summary>Reads every stored id. Costs one pass over both tables (a few seconds for ten million events).</summary>
    public static KnownEventIds Load(SqliteConnection connection)
    {
        long rows;
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM seen_ids)";
            rows = (long)count.ExecuteScalar()!;
        }

        var known = new KnownEventIds(connection, new FingerprintSet((int)Math.Min(int.MaxValue / 2, rows * 5 / 4 + 1024)));
        known.CatchUp();
        return known;
    }

    /// <summary>
    /// Adds the id of a row about to be written; false when it is known already (a duplicate). One probe of the set
    /// instead of a lookup before the insert and an add after the commit: the set is far larger than the CPU's caches,
    /// so each probe is a memory access, on the one thread every commit waits for.
    /// </summary>
    public bool TryAdd(UInt128 fingerprint) => _set.Add(fingerprint);

    /// <summary>See <see cref="FingerprintSet.Prefetch"/>.</summary>
    public void Prefetch(UInt128 fingerprint) => _set.Prefetch(fingerprint);

    /// <summary>Takes a rolled-back batch's ids out again, so a retry of the batch is not mistaken for a duplicate.</summary>
    public void Forget(IEnumerable<UInt128> fingerprints)
    {
        foreach (var fingerprint in fingerprints)
        {
            _set.Remove(fingerprint);
        }
    }

    /// <summary>Adds ids appended by anyone since the last call or commit. Call inside the write transaction, or before any is open (at load).</summary>
    public void CatchUp()
    {
        _lastEventSeq = _newEvents.AddAfter(_lastEventSeq, _set);
        _lastSeenIdSeq = _newSeenIds.AddAfter(_lastSeenIdSeq, _set);
    }

    /// <summary>
    /// The newest seqs of both tables, read while the transaction that appended this writer's rows still holds the
    /// write lock; pass them to <see cref="Committed"/> once it has committed, so the next catch-up skips those rows.
    /// </summary>
    public (long Events, long SeenIds) NewestSeqs(SqliteTransaction transaction)
    {
        _lastSeqs.Transaction = transaction;
        try
        {
            using var reader = _lastSeqs.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        finally
        {
            _lastSeqs.Transaction = null;
        }
    }

    /// <summary>The transaction that <see cref="NewestSeqs"/> was read in has committed: its rows are known.</summary>
    public void Committed((long Events, long SeenIds) newest) => (_lastEventSeq, _lastSeenIdSeq) = newest;

    public void Dispose()
    {
        _newEvents.Dispose();
        _newSeenIds.Dispose();
        _lastSeqs.Dispose();
    }
}
