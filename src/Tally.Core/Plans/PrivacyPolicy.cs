namespace Tally.Core.Plans;

/// <summary>What happens to a property's value before anything is written.</summary>
public enum PrivacyPolicy
{
    /// <summary>Stored as sent.</summary>
    Allow,
    /// <summary>Replaced by HMAC-SHA256(secret salt, value), hex; joins still work, the value cannot be read back.</summary>
    Hash,
    /// <summary>Removed.</summary>
    Drop,
    /// <summary>Replaced by its length in characters (seed 000's CSAT comments).</summary>
    Length,
    /// <summary>A timestamp coarsened to its UTC day, <c>YYYY-MM-DD</c> (seed 004).</summary>
    Day,
    /// <summary>An IP address with its host part zeroed (/24 for IPv4, /48 for IPv6).</summary>
    Ip,
}
