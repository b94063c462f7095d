namespace Tally.Core.Storage;

/// <summary>What a store did with one event of a batch. A store never fails a batch as a whole for one event.</summary>
public enum WriteOutcome
{
    Stored,
    /// <summary>An event with the same id was already stored (a client retry); nothing was written.</summary>
    Duplicate,
    /// <summary>Aggregate-only: counted in the roll-up, no raw row.</summary>
    Counted,
    /// <summary>Durable in the collector's local spool; the shipper writes it to the store (and deduplicates) shortly.</summary>
    Spooled,
}
