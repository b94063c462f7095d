namespace Tally.Core.Storage;

/// <summary>
/// What retention needs from a store: count and delete raw events older than a per-event cutoff, and roll-up rows of
/// days before a day. Counting changes nothing (a dry run only counts). A deletion is complete when its task completes:
/// no later read sees a deleted row. The cutoffs of one run go in one call, because a columnar store rewrites its parts
/// for each deletion and should do so once per run, not once per event. Roll-ups count rows of (day, name,
/// environment, source).
/// </summary>
public interface IRetentionStore
{
    /// <summary>Per cutoff's event name, how many of its raw events have a timestamp before the cutoff (names with none are left out).</summary>
    Task<IReadOnlyDictionary<string, long>> CountEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default);

    /// <summary>Deletes those events; returns how many of each name there were.</summary>
    Task<IReadOnlyDictionary<string, long>> DeleteEventsBeforeAsync(IReadOnlyList<EventCutoff> cutoffs, CancellationToken ct = default);

    /// <summary>Roll-up rows of UTC days before <paramref name="before"/>.</summary>
    Task<long> CountRollupsBeforeAsync(DateOnly before, CancellationToken ct = default);

    /// <summary>Deletes them; returns how many there were.</summary>
    Task<long> DeleteRollupsBeforeAsync(DateOnly before, CancellationToken ct = default);
}

/// <summary>Raw events named <see cref="Name"/> with a timestamp before <see cref="Before"/>.</summary>
public sealed record EventCutoff(string Name, DateTimeOffset Before);
