using Tally.Core.Storage;

namespace Tally.Server.Writing;

/// <summary>
/// Where the collector hands an accepted request's batch before answering it. The task completes when the batch is
/// durable: committed to the store (<see cref="GroupCommitWriter"/>) or fsynced to the local spool (<see cref="SpoolWriter"/>).
/// </summary>
public interface IBatchSink : IAsyncDisposable
{
    Task<WriteResult> WriteAsync(WriteBatch batch);

    /// <summary>
    /// Persists opt-out changes durably before the request is answered: straight to the store, or into the spool,
    /// whose shipper applies them before the events of the same record, so a store outage does not fail the request.
    /// </summary>
    Task RecordOptOutsAsync(IReadOnlyList<OptOutChange> changes, CancellationToken ct);

    /// <summary>Seconds since the oldest accepted event that is not yet queryable in the store; 0 when none waits.</summary>
    double FreshnessSeconds { get; }
}

/// <summary>An actor opted out (true) or back in (false) at a time.</summary>
public sealed record OptOutChange(string Actor, bool OptedOut, DateTimeOffset At);
