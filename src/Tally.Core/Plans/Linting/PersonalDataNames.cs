using System.Text.RegularExpressions;

namespace Tally.Core.Plans.Linting;

/// <summary>What kind of personal data a property name suggests.</summary>
internal enum PersonalDataKind
{
    EmailAddress,
    PhoneNumber,
    PersonName,
    PostalAddress,
    IpAddress,
    UserAgent,
    FreeText,
}

/// <summary>
/// Recognises property names that look like personal data. Names are split into words across snake_case, camelCase
/// and acronyms (<c>clientIP</c> → client, ip), so <c>userAgent</c> and <c>user_agent</c> read alike and <c>zip</c> is
/// never mistaken for <c>ip</c>. Deliberately narrow: <c>workflow_name</c> or <c>description</c> are not flagged,
/// because a linter that cries wolf gets switched off.
/// </summary>
internal static partial class PersonalDataNames
{
    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")]
    private static partial Regex Word();

    [GeneratedRegex("^(name|first_?name|last_?name|full_?name|user_?name|display_?name|contact_?name|customer_?name)$")]
    private static partial Regex PersonNameWords();

    /// <summary>Endings that say the value has already been reduced to something harmless.</summary>
    private static readonly HashSet<string> ReducedEndings = ["hash", "hashed", "length", "count"];

    private static readonly HashSet<string> AddressQualifiers =
        ["street", "postal", "home", "billing", "shipping", "delivery", "mailing", "residential", "physical", "contact", "customer", "user"];

    private static readonly HashSet<string> FreeTextEndings = ["comment", "query", "message", "body", "note", "feedback", "text"];

    public static IReadOnlyList<string> Words(string name) =>
        Word().Matches(name).Select(m => Singular(m.Value.ToLowerInvariant())).ToList();

    public static PersonalDataKind? Classify(string name)
    {
        var w = Words(name);
        if (w.Count == 0 || ReducedEndings.Contains(w[^1])) return null;
        if (EndsWith(w, ["email"], "address", "addr") || EndsWith(w, ["e", "mail"], "address", "addr")) return PersonalDataKind.EmailAddress;
        if (EndsWith(w, ["ip"], "address", "addr") || EndsWith(w, ["ipaddress"]) || EndsWith(w, ["ipv", "4"], "address") || EndsWith(w, ["ipv", "6"], "address"))
            return PersonalDataKind.IpAddress;
        if (EndsWith(w, ["phone"], "number", "num", "no") || EndsWith(w, ["mobile"], "number", "num", "no") || EndsWith(w, ["telephone"], "number"))
            return PersonalDataKind.PhoneNumber;
        if (EndsWith(w, ["user", "agent"]) || EndsWith(w, ["useragent"])) return PersonalDataKind.UserAgent;
        if (PersonNameWords().IsMatch(string.Join('_', w))) return PersonalDataKind.PersonName;
        if (IsPostalAddress(w)) return PersonalDataKind.PostalAddress;
        if (FreeTextEndings.Contains(w[^1])) return PersonalDataKind.FreeText;
        return null;
    }

    public static string Describe(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.EmailAddress => "an email address",
        PersonalDataKind.PhoneNumber => "a phone number",
        PersonalDataKind.PersonName => "a person's name",
        PersonalDataKind.PostalAddress => "a postal address",
        PersonalDataKind.IpAddress => "an IP address",
        PersonalDataKind.UserAgent => "a user agent",
        _ => "free-form text that may hold personal data",
    };

    private static bool IsPostalAddress(IReadOnlyList<string> w)
    {
        // address, street_address, billingAddress, address_line_1; not ip_address (caught above) or server_address.
        var i = w.Count - 1;
        while (i > 0 && (w[i] is "line" or "1" or "2" or "3")) i--;
        if (w[i] is "address" or "addr")
            return i == 0 || AddressQualifiers.Contains(w[i - 1]);
        return w[^1] is "street" or "postcode" or "zipcode" or "zip" || EndsWith(w, ["postal", "code"]) || EndsWith(w, ["zip", "code"]);
    }

    /// <summary>True when the words end with <paramref name="phrase"/>, optionally followed by one of <paramref name="trailers"/>.</summary>
    private static bool EndsWith(IReadOnlyList<string> words, string[] phrase, params string[] trailers)
    {
        var end = words.Count;
        if (trailers.Length > 0 && end > phrase.Length && trailers.Contains(words[end - 1])) end--;
        if (end < phrase.Length) return false;
        for (var i = 0; i < phrase.Length; i++)
            if (words[end - phrase.Length + i] != phrase[i]) return false;
        return true;
    }

    /// <summary>emails → email, addresses → address, notes → note; good enough for matching, not for grammar.</summary>
    private static string Singular(string word)
    {
        if (word.EndsWith("sses", StringComparison.Ordinal)) return word[..^2];
        if (word.Length >= 3 && word[^1] == 's' && word[^2] != 's' && word[^2] != 'u') return word[..^1];
        return word;
    }
}
