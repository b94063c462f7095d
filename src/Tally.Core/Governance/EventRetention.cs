namespace Tally.Core.Governance;

/// <summary>
/// What retention asks of one event's raw rows at one instant: rows older than <see cref="ArchiveBefore"/> go to the
/// archive, rows older than <see cref="DeleteBefore"/> are deleted (archived first when both apply). Null means never.
/// The durations are kept so a report can say where a cutoff came from.
/// </summary>
public sealed record EventRetention(string Name, TimeSpan? Retention, TimeSpan? ArchiveAfter, DateTimeOffset? ArchiveBefore, DateTimeOffset? DeleteBefore)
{
    /// <summary>True when nothing is ever archived or deleted for this event.</summary>
    public bool KeepsForever => ArchiveBefore is null && DeleteBefore is null;
}
