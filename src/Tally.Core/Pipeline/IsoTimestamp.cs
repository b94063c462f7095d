using System.Globalization;

namespace Tally.Core.Pipeline;

/// <summary>
/// Parses the ISO 8601 / RFC 3339 timestamps the plan format promises (<c>2024-05-21</c>, <c>2024-05-21T09:00:00Z</c>,
/// with or without an offset; no offset means UTC). <see cref="DateTimeOffset.TryParse(string?, IFormatProvider?, DateTimeStyles, out DateTimeOffset)"/>
/// alone also reads <c>05/06/2024</c> (May or June?) and <c>Tuesday, May 21</c>: a guess stored as a fact, so the
/// text must start with a <c>yyyy-MM-dd</c> date before the framework parser sees it.
/// </summary>
public static class IsoTimestamp
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length < 10 || !IsDate(text.AsSpan(0, 10))) return false;
        if (text.Length > 10 && text[10] is not ('T' or 't' or ' ')) return false;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static bool IsDate(ReadOnlySpan<char> s) =>
        char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]) && s[4] == '-'
        && char.IsAsciiDigit(s[5]) && char.IsAsciiDigit(s[6]) && s[7] == '-' && char.IsAsciiDigit(s[8]) && char.IsAsciiDigit(s[9]);
}
