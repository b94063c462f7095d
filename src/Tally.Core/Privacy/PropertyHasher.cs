using System.Security.Cryptography;
using System.Text;

namespace Tally.Core.Privacy;

/// <summary>
/// HMAC-SHA256 keyed by the deployment's secret salt, as lower-case hex. With a secret key a dictionary attack on
/// emails or phone numbers is not possible without the key, unlike the plain SHA-256 some clients use.
/// Emails are trimmed and lower-cased first so that the same address hashes the same across devices (seed 002).
/// </summary>
public sealed class PropertyHasher(byte[] key)
{
    private readonly byte[] _key = key.Length > 0 ? key : throw new ArgumentException("the hashing salt must not be empty", nameof(key));

    public string Hash(string value)
    {
        var normalized = value.Contains('@') ? value.Trim().ToLowerInvariant() : value;
        var max = Encoding.UTF8.GetMaxByteCount(normalized.Length);
        Span<byte> stack = stackalloc byte[256];
        var buffer = max <= stack.Length ? stack : new byte[max];
        var n = Encoding.UTF8.GetBytes(normalized, buffer);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, buffer[..n], mac);
        return Convert.ToHexStringLower(mac);
    }
}
