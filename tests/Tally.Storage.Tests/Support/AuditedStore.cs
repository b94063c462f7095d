using Tally.Core.Events;
using Tally.Core.Governance;
using Tally.Core.Storage;

namespace Tally.Storage.Tests.Support;

/// <summary>
/// A real store with an in-memory audit log beside it: the audit log's store implementations are written elsewhere,
/// and what retention needs to prove is only that each run appends its line through <see cref="IAuditLog"/>.
/// </summary>
internal sealed class AuditedStore(IEventStore inner) : IEventStore, IRetentionStore, IAuditLog
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    private IRetentionStore Retention => (IRetentionStore)inner;

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        lock (_entries) _entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        lock (_entries) return Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.Where(e => query.Action is null || e.Action == query.Action).Reverse().Take(query.Limit).ToList());
    }

    public Task<IReadOnlyDictionary<string, long>> CountEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default) => Retention.CountEventsBeforeAsync(cutoffs, ct);
    public Task<IReadOnlyDictionary<string, long>> DeleteEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default) => Retention.DeleteEventsBeforeAsync(cutoffs, ct);
    public Task<long> CountRollupsBeforeAsync(DateOnly before, CancellationToken ct = default) => Retention.CountRollupsBeforeAsync(before, ct);
    public Task<long> DeleteRollupsBeforeAsync(DateOnly before, CancellationToken ct = default) => Retention.DeleteRollupsBeforeAsync(before, ct);

    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);
    public Task<WriteResult> WriteAsync(WriteBatch batch, CancellationToken ct = default) => inner.WriteAsync(batch, ct);
    public Task<bool> ContainsEventAsync(string eventId, CancellationToken ct = default) => inner.ContainsEventAsync(eventId, ct);
    public IAsyncEnumerable<CollectedEvent> ReadEventsAsync(EventQuery query, CancellationToken ct = default) => inner.ReadEventsAsync(query, ct);
    public Task<long> CountEventsAsync(EventQuery query, CancellationToken ct = default) => inner.CountEventsAsync(query, ct);
    public Task<IReadOnlyList<QuarantineGroup>> QuarantineByReasonAsync(int samplePerGroup, CancellationToken ct = default) => inner.QuarantineByReasonAsync(samplePerGroup, ct);
    public IAsyncEnumerable<QuarantinedEvent> ReadQuarantineAsync(CancellationToken ct = default) => inner.ReadQuarantineAsync(ct);
    public Task<int> RemoveFromQuarantineAsync(IReadOnlyList<string> ids, CancellationToken ct = default) => inner.RemoveFromQuarantineAsync(ids, ct);
    public Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupQuery query, CancellationToken ct = default) => inner.ReadRollupsAsync(query, ct);
    public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken ct = default) => inner.ReadIdentityLinksAsync(ct);
    public Task SetOptOutAsync(string actorId, bool optedOut, DateTimeOffset at, CancellationToken ct = default) => inner.SetOptOutAsync(actorId, optedOut, at, ct);
    public Task<IReadOnlyList<string>> ReadOptedOutAsync(CancellationToken ct = default) => inner.ReadOptedOutAsync(ct);
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
