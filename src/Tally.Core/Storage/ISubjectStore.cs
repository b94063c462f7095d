using Tally.Core.Governance;

namespace Tally.Core.Storage;

/// <summary>
/// GDPR deletion and the suppression list, implemented by every store. Deletion comes in two steps so a collector can
/// suppress the ids before their rows go (events still in flight are then dropped instead of written after the
/// deletion): <see cref="ResolveSubjectAsync"/> finds every id of the subject, <see cref="EraseIdsAsync"/> removes
/// each row that carries one of them. Roll-ups and the audit log hold no personal data and are left alone.
/// </summary>
public interface ISubjectStore
{
    /// <summary>
    /// The subject's id, every id merged with it through identity links (<see cref="SubjectIds"/>), and the session
    /// ids of the raw events of a user or anonymous subject: sessions are the person's too.
    /// </summary>
    Task<IReadOnlyList<string>> ResolveSubjectAsync(Subject subject, CancellationToken ct = default);

    /// <summary>
    /// Removes, durably and for good (not hidden), every raw event whose anonymous, user, session or previous id is one
    /// of <paramref name="ids"/>, every quarantined event whose payload carries one, every identity link that names one
    /// and their opt-out rows. When the task completes no read sees the rows. Idempotent.
    /// </summary>
    Task<ErasedRows> EraseIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Adds keyed hashes (never ids) to the suppression list; adding a hash again changes nothing.</summary>
    Task AddSuppressedAsync(IReadOnlyCollection<string> hashes, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Every suppressed hash, to warm the collector at start.</summary>
    Task<IReadOnlyList<string>> ReadSuppressedAsync(CancellationToken ct = default);
}

/// <summary>How many rows an erasure removed from each table.</summary>
public sealed record ErasedRows(long Events, long Quarantined, long IdentityLinks, long OptOuts);
