namespace Tally.Server.Governance;

/// <summary>What one retention run did (or, in a dry run, would do) to one event's raw rows, and why: its periods and cutoffs.</summary>
public sealed record RetentionEventReport(
    string Event,
    string? Retention,
    string? ArchiveAfter,
    DateTimeOffset? ArchiveBefore,
    DateTimeOffset? DeleteBefore,
    long Archived,
    long Deleted);

/// <summary>
/// One retention run: per event with a finite retention or archive period, the rows archived and deleted; and the
/// roll-up rows deleted under the plan's aggregate retention. A dry run counts and changes nothing.
/// </summary>
public sealed record RetentionReport(
    DateTimeOffset Now,
    bool DryRun,
    string? ArchiveDirectory,
    IReadOnlyList<RetentionEventReport> Events,
    string AggregateRetention,
    DateOnly? RollupsBefore,
    long RollupRowsDeleted)
{
    public long Archived => Events.Sum(e => e.Archived);

    public long Deleted => Events.Sum(e => e.Deleted);
}
