namespace Tally.Server.Configuration;

public enum Role
{
    /// <summary>Ingest only (seed 004's service account).</summary>
    Writer,
    /// <summary>Aggregated results only.</summary>
    Viewer,
    /// <summary>Every query, quarantine.</summary>
    Analyst,
    /// <summary>Deletion, retention, keys, audit.</summary>
    Admin,
}

/// <summary>
/// A key as configured (environment variables) or as stored (<c>tally keys create</c>): its role and, for writers, the
/// environment its events belong to. <see cref="StoredId"/> is the stored key's public id; null for configured keys.
/// </summary>
public sealed record ApiKey(string Key, Role Role, string? Environment = null, string? StoredId = null)
{
    /// <summary>A short, non-secret name for logs and audit: never the key itself (a stored key's id, which is public).</summary>
    public string Label => StoredId ?? (Key.Length <= 4 ? "****" : $"{Key[..4]}…");
}
