using Tally.Core.Governance;
using Tally.Core.Pipeline;
using Tally.Core.Storage;

namespace Tally.Server.Governance;

/// <summary>
/// A GDPR deletion, in the order that keeps the subject from coming back: find every id of the subject, suppress them
/// (durably in the store, then in the collector's memory), let every write already past the pipeline finish (the
/// <paramref name="barrier"/>: after it, the writers drop rows carrying a suppressed id), erase the rows from the
/// store, and rewrite the export and archive files that hold any. Shared by <c>DELETE /v1/subjects</c> and
/// <c>tally forget</c>. Roll-ups hold no personal data and are left as they are.
/// </summary>
public sealed class SubjectDeletion(ISubjectStore store, SuppressionList suppressed, IReadOnlyList<string> exportRoots, Func<CancellationToken, Task>? barrier = null, Func<CancellationToken, Task>? afterErase = null)
{
    public async Task<DeletionReceipt> DeleteAsync(Subject subject, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var at = DateTimeOffset.UtcNow;
        var ids = await store.ResolveSubjectAsync(subject, ct).ConfigureAwait(false);
        var hashes = ids.Select(suppressed.HashOf).ToList();
        await store.AddSuppressedAsync(hashes, at, ct).ConfigureAwait(false);
        foreach (var hash in hashes) suppressed.AddHash(hash);
        if (barrier is not null) await barrier(ct).ConfigureAwait(false);
        var erased = await store.EraseIdsAsync(ids, ct).ConfigureAwait(false);
        // The collector's own copies (its spool's shipped segments) go too.
        if (afterErase is not null) await afterErase(ct).ConfigureAwait(false);
        var scrubbed = await ExportScrubber.ScrubAsync(exportRoots, ids, ct).ConfigureAwait(false);
        return new DeletionReceipt(subject.KindName, suppressed.HashOf(subject.Id), ids.Count, erased.Events, erased.Quarantined,
            erased.IdentityLinks, erased.OptOuts, scrubbed.Rows, scrubbed.Files, at);
    }

    /// <summary>The audit target of a deletion: the kind and the keyed hash, never the id.</summary>
    public string TargetOf(Subject subject) => $"{subject.KindName}:{suppressed.HashOf(subject.Id)}";
}
