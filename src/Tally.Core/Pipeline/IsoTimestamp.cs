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
        if (TryParseUtc(text, out value)) return true;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>
    /// The shape nearly every SDK sends, <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c>, read directly: the framework's general
    /// parser took ~2.5% of the collector's CPU. Anything else (offsets, other separators, more than 7 fraction digits,
    /// out-of-range fields) is left to the framework, so both paths agree (a test compares them on random input).
    /// </summary>
    internal static bool TryParseUtc(string s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)) return false;
        long ticks = 0;
        if (s.Length > 20)
        {
            var digits = s.Length - 21;
            if (s[19] != '.' || digits is < 1 or > 7 || !Digits(s, 20, digits, out var fraction)) return false;
            ticks = fraction;
            for (var i = digits; i < 7; i++) ticks *= 10;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks));
        return true;
    }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }

    private static bool IsDate(ReadOnlySpan<char> s) =>
        char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]) && s[4] == '-'
        && char.IsAsciiDigit(s[5]) && char.IsAsciiDigit(s[6]) && s[7] == '-' && char.IsAsciiDigit(s[8]) && char.IsAsciiDigit(s[9]);
}
