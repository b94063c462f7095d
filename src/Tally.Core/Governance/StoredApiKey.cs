namespace Tally.Core.Governance;

/// <summary>
/// A key as the store keeps it: never the key itself, only <see cref="Hash"/> (lower-case hex SHA-256 of the key's
/// UTF-8 bytes, see <see cref="ApiKeySecret"/>).
/// </summary>
/// <param name="Id">Public handle for list and revoke, e.g. <c>key_5f2c…</c>; not a secret.</param>
/// <param name="Role"><c>writer</c>, <c>viewer</c>, <c>analyst</c> or <c>admin</c>.</param>
/// <param name="Environment">For writer keys, the environment their events belong to; null for the plan's default.</param>
public sealed record StoredApiKey(
    string Id,
    string Name,
    string Role,
    string? Environment,
    DateTimeOffset CreatedAt,
    string Hash,
    DateTimeOffset? RevokedAt = null)
{
    public bool Revoked => RevokedAt is not null;
}
