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

/// <summary>A key as configured: its role and, for writers, the environment its events belong to.</summary>
public sealed record ApiKey(string Key, Role Role, string? Environment = null)
{
    /// <summary>A short, non-secret name for logs and audit: never the key itself.</summary>
    public string Label => Key.Length <= 4 ? "****" : $"{Key[..4]}…";
}
