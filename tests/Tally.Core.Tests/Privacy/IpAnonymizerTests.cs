using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Tally.Core.Privacy;

namespace Tally.Core.Tests.Privacy;

public class IpAnonymizerTests
{
    [Theory]
    [InlineData("192.168.1.77", "192.168.1.0")]
    [InlineData(" 10.0.0.255 ", "10.0.0.0")]
    [InlineData("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::")]
    [InlineData("::1", "::")]
    public void Host_part_is_zeroed(string ip, string expected)
    {
        Assert.Equal(expected, IpAnonymizer.Anonymize(ip));
    }

    [Theory]
    [InlineData("not an ip")]
    [InlineData("")]
    [InlineData("300.1.1.1")]
    public void Non_addresses_give_null(string value)
    {
        Assert.Null(IpAnonymizer.Anonymize(value));
    }

    private static readonly Gen<string> V4 = Gen.Choose(0, 255).ArrayOf(4).Select(b => new IPAddress(b.Select(x => (byte)x).ToArray()).ToString());
    private static readonly Gen<string> V6 = Gen.Choose(0, 255).ArrayOf(16).Select(b => new IPAddress(b.Select(x => (byte)x).ToArray()).ToString());

    [Fact]
    public void Anonymizing_twice_changes_nothing_more()
    {
        Prop.ForAll(Gen.OneOf(V4, V6).ToArbitrary(), ip =>
        {
            var once = IpAnonymizer.Anonymize(ip);
            return once is not null && IpAnonymizer.Anonymize(once) == once;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IPv4_keeps_its_24_bit_network()
    {
        Prop.ForAll(V4.ToArbitrary(), ip =>
        {
            var before = IPAddress.Parse(ip).GetAddressBytes();
            var after = IPAddress.Parse(IpAnonymizer.Anonymize(ip)!).GetAddressBytes();
            return after.Length == 4 && after[..3].SequenceEqual(before[..3]) && after[3] == 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IPv6_keeps_its_48_bit_prefix()
    {
        Prop.ForAll(V6.ToArbitrary(), ip =>
        {
            var before = IPAddress.Parse(ip).GetAddressBytes();
            var after = IPAddress.Parse(IpAnonymizer.Anonymize(ip)!).GetAddressBytes();
            return after.Length == 16 && after[..6].SequenceEqual(before[..6]) && after[6..].All(b => b == 0);
        }).QuickCheckThrowOnFailure();
    }
}
