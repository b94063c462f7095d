using Microsoft.Data.Sqlite;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Storage.Sqlite.Dedup;
using Tally.Storage.Sqlite.Schema;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// The store's one write connection and its prepared statements. SQLite allows one writer at a time, so every write
/// goes through here, serialised by the caller; this class itself is not thread-safe.
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private const int CancellationCheckEvery = 512;
    // Fingerprints whose set slots are fetched ahead of their probes, in one go: enough misses in flight to hide memory
    // latency, few enough that the lines are still cached when the probes come.
    private const int PrefetchAhead = 16;

    private readonly SqliteConnection _connection;
    private readonly InsertEvent _insertEvent;
    private readonly InsertSeenId _insertSeenId;
    private readonly UpsertRollup _upsertRollup;
    private readonly InsertQuarantined _insertQuarantined;
    private readonly UpsertIdentityLink _upsertLink;
    private readonly DeleteQuarantined _deleteQuarantined;
    private readonly UpsertOptOut _upsertOptOut;
    private readonly PreparedStatement[] _all;
    private readonly KnownEventIds _known;

    private StoreWriter(SqliteConnection connection, KnownEventIds known)
    {
        _connection = connection;
        _known = known;
        _insertEvent = new InsertEvent(connection);
        _insertSeenId = new InsertSeenId(connection);
        _upsertRollup = new UpsertRollup(connection);
        _insertQuarantined = new InsertQuarantined(connection);
        _upsertLink = new UpsertIdentityLink(connection);
        _deleteQuarantined = new DeleteQuarantined(connection);
        _upsertOptOut = new UpsertOptOut(connection);
        _all = [_insertSeenId, _upsertRollup, _insertQuarantined, _upsertLink, _deleteQuarantined, _upsertOptOut];
    }

    /// <summary>Opens the file (creating it), sets durability pragmas and brings the schema up to date.</summary>
    public static StoreWriter Open(string connectionString, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                // WAL: readers never block the writer nor see a half-written batch. FULL: a commit is fsynced before
                // WriteAsync returns, because the collector acknowledges clients only then. Since migration 003 a batch
                // appends to the tables' last pages and touches the (name, ts) index at a few places per name; a 64 MiB
                // cache and mmap keep what analytics and the index read from being re-read. The automatic checkpoint runs
                // inside whichever commit crosses its threshold, and that commit's clients wait for it: every ~10 MiB of
                // WAL (2,500 pages; the default is 4 MiB) copies a page that many batches touched into the database once,
                // yet keeps each stall short. Measured at 100k events/s: 40 MiB gave the same throughput with request
                // p99 48–60 ms, 10 MiB 22–39 ms, 4 MiB 17–22 ms. The WAL is truncated back to 64 MiB after a checkpoint
                // so it does not keep a burst's size forever.
                pragmas.CommandText = $"""
                    PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds};
                    PRAGMA journal_mode = WAL;
                    PRAGMA synchronous = FULL;
                    PRAGMA temp_store = MEMORY;
                    PRAGMA cache_size = -65536;
                    PRAGMA mmap_size = 268435456;
                    PRAGMA wal_autocheckpoint = 2500;
                    PRAGMA journal_size_limit = 67108864;
                    """;
                pragmas.ExecuteNonQuery();
            }

            SchemaMigrator.Migrate(connection);
            return new StoreWriter(connection, KnownEventIds.Load(connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The write connection, for the rare writes that need no prepared statement (deletion, audit). No transaction may be open.</summary>
    public SqliteConnection Connection => _connection;

    public WriteResult Write(WriteBatch batch, CancellationToken ct)
    {
        var events = batch.Events;
        var outcomes = new WriteOutcome[events.Count];
        if (events.Count == 0 && batch.Quarantined.Count == 0 && batch.Links.Count == 0)
        {
            return new WriteResult(outcomes, 0);
        }

        var quarantinedStored = 0;
        var rollups = new RollupAccumulator();
        // This batch's ids join the known set as they are written, and leave it again if the batch rolls back.
        var written = new List<UInt128>(events.Count);
        var given = batch.GivenFingerprints;
        var rows = new CollectedEvent[InsertEvent.RowsPerStatement];
        var pendingRows = 0;
        (long Events, long SeenIds) newest;
        var committed = false;
        using (var tx = Begin())
        {
            try
            {
                // Under the write lock: nobody else can append between this catch-up and the commit.
                _known.CatchUp();
                for (var i = 0; i < events.Count; i++)
                {
                    if (i % CancellationCheckEvery == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                    }

                    if (i % PrefetchAhead == 0 && given is not null)
                    {
                        for (var k = i; k < Math.Min(i + PrefetchAhead, events.Count); k++)
                        {
                            _known.Prefetch(given[k]);
                        }
                    }

                    var e = events[i];
                    var fingerprint = given?[i] ?? EventIdFingerprint.Of(e.EventId);
                    if (!_known.TryAdd(fingerprint))
                    {
                        outcomes[i] = WriteOutcome.Duplicate;
                        continue;
                    }

                    written.Add(fingerprint);

                    if (e.AggregateOnly)
                    {
                        _insertSeenId.Execute(e);
                    }
                    else
                    {
                        rows[pendingRows++] = e;
                        if (pendingRows == rows.Length)
                        {
                            _insertEvent.ExecuteMany(rows);
                            pendingRows = 0;
                        }
                    }

                    outcomes[i] = e.AggregateOnly ? WriteOutcome.Counted : WriteOutcome.Stored;
                    rollups.Add(e);
                }

                // Rows that did not fill a multi-row statement; appended in batch order like the rest.
                for (var r = 0; r < pendingRows; r++)
                {
                    _insertEvent.Execute(rows[r]);
                }

                foreach (var (key, count) in rollups.Rows)
                {
                    _upsertRollup.Execute(key, count);
                }

                foreach (var q in batch.Quarantined)
                {
                    if (_insertQuarantined.Execute(q))
                    {
                        quarantinedStored++;
                    }
                }

                foreach (var link in batch.Links)
                {
                    _upsertLink.Execute(link);
                }

                newest = _known.NewestSeqs(tx.Inner);

                // Last chance to abandon: after the commit the batch is durable and its outcomes must be reported.
                ct.ThrowIfCancellationRequested();
                tx.Commit();
                committed = true;
            }
            finally
            {
                if (!committed)
                {
                    _known.Forget(written);
                }
            }
        }

        _known.Committed(newest);
        return new WriteResult(outcomes, quarantinedStored);
    }

    public int RemoveQuarantined(IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var removed = 0;
        using var tx = Begin();
        foreach (var id in ids)
        {
            if (_deleteQuarantined.Execute(id))
            {
                removed++;
            }
        }

        ct.ThrowIfCancellationRequested();
        tx.Commit();
        return removed;
    }

    public void SetOptOut(string actorId, bool optedOut, DateTimeOffset at)
    {
        using var tx = Begin();
        _upsertOptOut.Execute(actorId, optedOut, at);
        tx.Commit();
    }

    public void Dispose()
    {
        foreach (var statement in _all)
        {
            statement.Dispose();
        }

        _insertEvent.Dispose();
        _known.Dispose();
        _connection.Dispose();
    }

    /// <summary>BEGIN IMMEDIATE takes the write lock up front, so another process's writer makes us wait, not fail mid-batch.</summary>
    private Transaction Begin()
    {
        var tx = _connection.BeginTransaction(deferred: false);
        foreach (var statement in _all)
        {
            statement.Enlist(tx);
        }

        return new Transaction(tx, _all);
    }

    /// <summary>A transaction that also detaches the statements when it ends, so they can join the next one.</summary>
    private readonly struct Transaction(SqliteTransaction tx, PreparedStatement[] statements) : IDisposable
    {
        public SqliteTransaction Inner => tx;

        public void Commit() => tx.Commit();

        public void Dispose()
        {
            foreach (var statement in statements)
            {
                statement.Enlist(null);
            }

            // Rolls back when Commit was not reached.
            tx.Dispose();
        }
    }
}
