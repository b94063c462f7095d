using Tally.Core.Storage;

namespace Tally.Server.Writing;

/// <summary>
/// Where the collector hands an accepted request's batch before answering it. The task completes when the batch is
/// durable: committed to the store (<see cref="GroupCommitWriter"/>) or fsynced to the local spool (<see cref="SpoolWriter"/>).
/// </summary>
public interface IBatchSink : IAsyncDisposable
{
    Task<WriteResult> WriteAsync(WriteBatch batch);

    /// <summary>Seconds since the oldest accepted event that is not yet queryable in the store; 0 when none waits.</summary>
    double FreshnessSeconds { get; }
}
