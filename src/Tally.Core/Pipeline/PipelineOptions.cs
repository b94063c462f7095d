namespace Tally.Core.Pipeline;

public sealed record PipelineOptions
{
    /// <summary>Secret key for HMAC-SHA256 of hashed properties. Comes from TALLY_HASH_SALT or config, never from the plan.</summary>
    public required byte[] HashSalt { get; init; }
    /// <summary>An event whose timestamp is further ahead of receipt than this is clamped to receipt and flagged.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromHours(1);
    /// <summary>An event older than this at receipt is clamped and flagged; <c>tally ingest --backfill</c> lifts it.</summary>
    public TimeSpan MaxPastAge { get; init; } = TimeSpan.FromDays(365);
    /// <summary>One event's serialized size limit; larger events are quarantined (seed-independent, Segment's own limit).</summary>
    public int MaxEventBytes { get; init; } = 32 * 1024;
}
