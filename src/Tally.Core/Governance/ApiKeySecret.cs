using System.Security.Cryptography;
using System.Text;

namespace Tally.Core.Governance;

/// <summary>
/// Making and hashing API keys. A key is <c>tly_</c> and 32 base62 characters from the OS CSPRNG (about 190 bits), so
/// an unsalted SHA-256 is enough to store it: there is no dictionary of likely keys to try against the hash.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "tly_";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The four roles a key can have, lowest first.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["writer", "viewer", "analyst", "admin"];

    /// <summary>A new random key, <c>tly_</c> + 32 base62 characters.</summary>
    public static string NewKey() => Prefix + RandomNumberGenerator.GetString(Alphabet, 32);

    /// <summary>A new public id for a key, unrelated to the key itself.</summary>
    public static string NewId() => "key_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
