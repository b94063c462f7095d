using Tally.Core.Events;

namespace Tally.Core.Storage;

/// <summary>
/// The storage contract: operations, not SQL. SQLite (embedded default) and ClickHouse implement it and are held to
/// the same contract suite. Writes are durable when the returned task completes: a caller acknowledges a client only then.
/// </summary>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Creates tables and indexes if missing. Idempotent.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>
    /// Writes one batch atomically and durably: events deduplicated by <see cref="CollectedEvent.EventId"/>,
    /// aggregate-only events counted in the daily roll-up only, every stored event also counted in the roll-up,
    /// quarantined events deduplicated by their <see cref="QuarantinedEvent.EventId"/>, identity links upserted.
    /// </summary>
    Task<WriteResult> WriteAsync(WriteBatch batch, CancellationToken ct = default);

    /// <summary>Is an event with this id stored already? (Replay and tests.)</summary>
    Task<bool> ContainsEventAsync(string eventId, CancellationToken ct = default);

    /// <summary>Raw events in timestamp order, optionally of one name and time range. For tests, exports and replays, not for analytics.</summary>
    IAsyncEnumerable<CollectedEvent> ReadEventsAsync(EventQuery query, CancellationToken ct = default);

    Task<long> CountEventsAsync(EventQuery query, CancellationToken ct = default);

    /// <summary>Quarantine grouped by reason code, most frequent first, with up to <paramref name="samplePerGroup"/> events each.</summary>
    Task<IReadOnlyList<QuarantineGroup>> QuarantineByReasonAsync(int samplePerGroup, CancellationToken ct = default);

    IAsyncEnumerable<QuarantinedEvent> ReadQuarantineAsync(CancellationToken ct = default);

    /// <summary>Removes quarantined events by id (after a successful replay). Returns how many were removed.</summary>
    Task<int> RemoveFromQuarantineAsync(IReadOnlyList<string> ids, CancellationToken ct = default);

    /// <summary>Daily roll-up rows: counts per event, environment, source, UTC day and (aggregate-only events) dimensions.</summary>
    Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupQuery query, CancellationToken ct = default);

    Task<IReadOnlyList<IdentityLink>> ReadIdentityLinksAsync(CancellationToken ct = default);

    /// <summary>Persists an actor's opt-out state (true = opted out) from the moment it was received.</summary>
    Task SetOptOutAsync(string actorId, bool optedOut, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Every actor currently opted out, to warm the collector's in-memory state at start.</summary>
    Task<IReadOnlyList<string>> ReadOptedOutAsync(CancellationToken ct = default);
}

public sealed record EventQuery(string? Name = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record RollupQuery(string? Name = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>
/// One day's count of one event in one environment from one source. <paramref name="Dimensions"/> holds an
/// aggregate-only event's kept property values (<see cref="Tally.Core.Analytics.RollupDimensions"/>); it is empty
/// for counts of stored raw events.
/// </summary>
public sealed record RollupRow(DateOnly Day, string Name, string Environment, string Source, long Count, string Dimensions = "")
{
    /// <summary>The row an event adds its count to.</summary>
    public static RollupRow Of(CollectedEvent e) => new(DayOf(e), e.Name, e.Environment, SourceOf(e), e.Count, DimensionsOf(e));

    /// <summary>The UTC day an event is counted on.</summary>
    public static DateOnly DayOf(CollectedEvent e) => DateOnly.FromDateTime(e.Timestamp.UtcDateTime);

    /// <summary>The source an event is counted under: empty, never null, so it can be part of a key.</summary>
    public static string SourceOf(CollectedEvent e) => e.Source ?? "";

    /// <summary>An aggregate-only event's kept dimensions; empty for a stored raw event.</summary>
    public static string DimensionsOf(CollectedEvent e) =>
        e.AggregateOnly ? Tally.Core.Analytics.RollupDimensions.Of(e.PropertiesJson) : Tally.Core.Analytics.RollupDimensions.None;
}
