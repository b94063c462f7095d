using System.Security.Cryptography;
using System.Text;
using Tally.Core.Governance;

namespace Tally.Core.Tests.Governance;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void A_new_key_is_tly_and_32_base62_characters_and_never_repeats()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeySecret.NewKey()).ToList();

        Assert.All(keys, k => Assert.Matches("^tly_[0-9A-Za-z]{32}$", k));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void The_stored_hash_is_the_sha256_of_the_key_and_does_not_contain_it()
    {
        var key = ApiKeySecret.NewKey();

        var hash = ApiKeySecret.Hash(key);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), hash);
        Assert.DoesNotContain(key[4..], hash, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(hash, ApiKeySecret.Hash(ApiKeySecret.NewKey()));
    }
}
