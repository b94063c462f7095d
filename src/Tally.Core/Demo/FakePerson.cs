using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tally.Core.Demo;

/// <summary>
/// The made-up person behind a flow, and the raw personal data a careless client would send about them. Every value
/// uses reserved ranges (example.com, 203.0.113.0/24, Ofcom's drama numbers) so nothing real is ever generated.
/// </summary>
public sealed record FakePerson(string FirstName, string LastName, string Email, string Phone, string Ip)
{
    private static readonly string[] FirstNames = ["maya", "james", "alicia", "noah", "priya", "lucas", "sofia", "omar", "hannah", "kenji", "amara", "leo", "zoe", "mateo", "ines", "tariq"];
    private static readonly string[] LastNames = ["lopez", "okafor", "nguyen", "schmidt", "patel", "rossi", "kowalski", "haddad", "murphy", "tanaka", "silva", "berg", "adeyemi", "dubois"];
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    ];

    public static FakePerson Draw(DemoRandom rng)
    {
        var first = rng.Pick(FirstNames);
        var last = rng.Pick(LastNames);
        return new FakePerson(first, last,
            $"{first}.{last}{rng.Digits(3)}@example.com",
            $"+44 7700 900{rng.Digits(3)}",
            $"203.0.113.{rng.Between(1, 254).ToString(CultureInfo.InvariantCulture)}");
    }

    public string FullName => $"{Capital(FirstName)} {Capital(LastName)}";

    /// <summary>Lower-case hex SHA-256 of the email, as a client sends a prehashed identity key.</summary>
    public string EmailSha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Email)));

    public string UserAgent(DemoRandom rng) => rng.Pick(UserAgents);

    public string Address => $"{(FirstName.Length * 7 % 90) + 1} {Capital(LastName)} Street, Springfield";

    /// <summary>Free text of the kind people type into comment boxes: it names them and says how to reach them.</summary>
    public string Sentence => $"Hi, this is {FullName}, please email me at {Email} or call {Phone}";

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
