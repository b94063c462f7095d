using System.Net;
using System.Net.Sockets;

namespace Tally.Core.Privacy;

/// <summary>Zeroes the host part of an address: the last octet of IPv4 (/24), all but the first 48 bits of IPv6.</summary>
public static class IpAnonymizer
{
    public static string? Anonymize(string value)
    {
        if (!IPAddress.TryParse(value.Trim(), out var ip)) return null;
        var bytes = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork) bytes[3] = 0;
        else for (var i = 6; i < bytes.Length; i++) bytes[i] = 0;
        return new IPAddress(bytes).ToString();
    }
}
