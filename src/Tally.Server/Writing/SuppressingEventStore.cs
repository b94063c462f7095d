using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Storage;

namespace Tally.Server.Writing;

/// <summary>
/// The store as the collector's writers see it: every batch is checked against the suppression list on its way in,
/// so rows carrying a deleted subject's id never reach the store, even those that passed the pipeline before the
/// deletion (acknowledged into the spool, or waiting for a group commit). Writes go one at a time through a gate, and
/// <see cref="BarrierAsync"/> passes the gate once: when it returns, a write that began before the suppression has
/// finished, and every later one sees it. A row suppressed here is reported as a duplicate (nothing was written) and
/// counted through <paramref name="onSuppressed"/>. Reads pass straight through.
/// </summary>
public sealed class SuppressingEventStore(IEventStore inner, SuppressionList suppressed, Action<int>? onSuppressed = null) : IEventStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task BarrierAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        _gate.Release();
    }

    public async Task<WriteResult> WriteAsync(WriteBatch batch, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (suppressed.Count == 0) return await inner.WriteAsync(batch, ct).ConfigureAwait(false);
            var keep = new List<CollectedEvent>(batch.Events.Count);
            var keepFingerprints = batch.Fingerprints is null ? null : new List<UInt128>(batch.Events.Count);
            var kept = new bool[batch.Events.Count];
            for (var i = 0; i < batch.Events.Count; i++)
            {
                var e = batch.Events[i];
                if (suppressed.AnySuppressed(e.AnonymousId, e.UserId, e.SessionId, e.PreviousId)) continue;
                kept[i] = true;
                keep.Add(e);
                keepFingerprints?.Add(batch.FingerprintOf(i));
            }

            var quarantined = batch.Quarantined.Where(q => !QuarantineCarriesSuppressed(q)).ToList();
            var links = batch.Links.Where(l => !suppressed.IsSuppressed(l.FromId) && !suppressed.IsSuppressed(l.ToUserId)).ToList();
            var dropped = batch.Events.Count - keep.Count + batch.Quarantined.Count - quarantined.Count;
            if (dropped == 0 && links.Count == batch.Links.Count) return await inner.WriteAsync(batch, ct).ConfigureAwait(false);

            var result = await inner.WriteAsync(new WriteBatch(keep, quarantined, links, keepFingerprints), ct).ConfigureAwait(false);
            var outcomes = new WriteOutcome[batch.Events.Count];
            for (int i = 0, j = 0; i < outcomes.Length; i++) outcomes[i] = kept[i] ? result.Events[j++] : WriteOutcome.Duplicate;
            if (dropped > 0) onSuppressed?.Invoke(dropped);
            return new WriteResult(outcomes, result.QuarantinedStored);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SetOptOutAsync(string actorId, bool optedOut, DateTimeOffset at, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!suppressed.IsSuppressed(actorId)) await inner.SetOptOutAsync(actorId, optedOut, at, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool QuarantineCarriesSuppressed(QuarantinedEvent q)
    {
        try
        {
            using var doc = JsonDocument.Parse(q.PayloadJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return false;
            string? Field(string name) => doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return suppressed.AnySuppressed(Field("anonymousId"), Field("userId"), Field("sessionId"), Field("previousId"));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);

    public Task<bool> ContainsEventAsync(string eventId, CancellationToken ct = default) => inner.ContainsEventAsync(eventId, ct);

    public IAsyncEnumerable<CollectedEvent> ReadEventsAsync(EventQuery query, CancellationToken ct = default) => inner.ReadEventsAsync(query, ct);

    public Task<long> CountEventsAsync(EventQuery query, CancellationToken ct = default) => inner.CountEventsAsync(query, ct);

    public Task<IReadOnlyList<QuarantineGroup>> QuarantineByReasonAsync(int samplePerGroup, CancellationToken ct = default) => inner.QuarantineByReasonAsync(samplePerGroup, ct);

    public IAsyncEnumerable<QuarantinedEvent> ReadQuarantineAsync(CancellationToken ct = default) => inner.ReadQuarantineAsync(ct);

    public Task<int> RemoveFromQuarantineAsync(IReadOnlyList<string> ids, CancellationToken ct = default) => inner.RemoveFromQuarantineAsync(ids, ct);

    public Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupQuery query, CancellationToken ct = default) => inner.ReadRollupsAsync(query, ct);

    public Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken ct = default) => inner.ReadIdentityLinksAsync(ct);

    public Task<IReadOnlyList<string>> ReadOptedOutAsync(CancellationToken ct = default) => inner.ReadOptedOutAsync(ct);

    /// <summary>The inner store belongs to the server, which disposes it; this wrapper owns nothing.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
