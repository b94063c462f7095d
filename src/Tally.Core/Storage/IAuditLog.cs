using Tally.Core.Governance;

namespace Tally.Core.Storage;

/// <summary>
/// The audit log, kept by the store itself so it lives as long as the data it speaks of and every collector and CLI
/// writing to one store shares one log. Append-only: no operation edits or removes a line (retention and GDPR
/// deletion leave it alone; its targets hold no personal data).
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends durably: the task completes once the line is committed.</summary>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Lines in the query's range, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default);
}
