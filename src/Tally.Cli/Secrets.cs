using System.Security.Cryptography;
using System.Text;

namespace Tally.Cli;

/// <summary>
/// The hashing salt: TALLY_HASH_SALT when set. Otherwise a random one is made once and kept in the data directory
/// (readable by its owner only), so a zero-set-up install still hashes with a secret that is not in any repository.
/// </summary>
public static class Secrets
{
    public static byte[] HashSalt(string dataDir)
    {
        var env = Environment.GetEnvironmentVariable("TALLY_HASH_SALT");
        if (!string.IsNullOrEmpty(env)) return Encoding.UTF8.GetBytes(env);
        var path = Path.Combine(dataDir, "hash-salt");
        if (File.Exists(path)) return Convert.FromHexString(File.ReadAllText(path).Trim());
        var salt = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToHexString(salt));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Console.Error.WriteLine($"tally: TALLY_HASH_SALT is not set; generated a salt in {path}");
        return salt;
    }
}
