namespace Tally.Core.Governance;

/// <summary>
/// What a GDPR deletion removed, by place. The subject appears only as its keyed hash, so a receipt can be kept, logged
/// and audited without holding the id it speaks of. <see cref="MergedIds"/> counts the ids found to belong to the subject
/// (itself included); every one of them is suppressed. A repeated deletion finds nothing and answers with zero counts.
/// Roll-ups are not listed: they hold counts per event and day only, no identifiers.
/// </summary>
public sealed record DeletionReceipt(
    string Kind,
    string SubjectHash,
    int MergedIds,
    long Events,
    long Quarantined,
    long IdentityLinks,
    long OptOuts,
    long ExportRows,
    int ExportFiles,
    DateTimeOffset At)
{
    /// <summary>A short key=value summary for the audit log's detail column.</summary>
    public string Summary =>
        $"ids={MergedIds} events={Events} quarantined={Quarantined} identity_links={IdentityLinks} opt_outs={OptOuts} export_rows={ExportRows} export_files={ExportFiles}";
}
