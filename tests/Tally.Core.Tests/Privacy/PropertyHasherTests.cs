using System.Security.Cryptography;
using System.Text;
using Tally.Core.Privacy;

namespace Tally.Core.Tests.Privacy;

public class PropertyHasherTests
{
    private static readonly byte[] Salt = "pepper"u8.ToArray();

    [Fact]
    public void Hash_is_HMAC_SHA256_of_the_value_keyed_by_the_salt_in_lower_hex()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Salt, Encoding.UTF8.GetBytes("order-123")));
        Assert.Equal(expected, new PropertyHasher(Salt).Hash("order-123"));
        Assert.Matches("^[0-9a-f]{64}$", new PropertyHasher(Salt).Hash("order-123"));
    }

    [Fact]
    public void Same_value_and_salt_give_the_same_hash_and_another_salt_another()
    {
        Assert.Equal(new PropertyHasher(Salt).Hash("x"), new PropertyHasher(Salt).Hash("x"));
        Assert.NotEqual(new PropertyHasher(Salt).Hash("x"), new PropertyHasher("salt"u8.ToArray()).Hash("x"));
        Assert.NotEqual(new PropertyHasher(Salt).Hash("x"), new PropertyHasher(Salt).Hash("y"));
    }

    [Fact]
    public void Emails_are_trimmed_and_lower_cased_so_devices_agree()
    {
        var h = new PropertyHasher(Salt);
        Assert.Equal(h.Hash("ada@example.com"), h.Hash("  Ada@Example.COM "));
    }

    [Fact]
    public void Long_and_non_ascii_values_hash_like_their_UTF8_bytes()
    {
        var value = string.Concat(Enumerable.Repeat("Zoë ✓ ", 200));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Salt, Encoding.UTF8.GetBytes(value)));
        Assert.Equal(expected, new PropertyHasher(Salt).Hash(value));
    }

    [Fact]
    public void An_empty_salt_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PropertyHasher([]));
    }
}
