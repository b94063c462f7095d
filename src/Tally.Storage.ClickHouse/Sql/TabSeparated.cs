using System.Globalization;
using System.Text;

namespace Tally.Storage.ClickHouse.Sql;

/// <summary>
/// Reads ClickHouse's <c>TabSeparated</c> output, the format every query of this store asks for: one row per line,
/// fields split by a raw tab, and inside a field tab, newline and backslash are escaped, so splitting is never
/// ambiguous. Chosen over JSON output because 18.16 quotes 64-bit integers in JSON and TSV streams line by line.
/// </summary>
internal static class TabSeparated
{
    /// <summary>The unescaped fields of one line; fails when it has not <paramref name="expected"/> fields.</summary>
    public static string[] Fields(string line, int expected)
    {
        var raw = line.Split('\t');
        if (raw.Length != expected)
        {
            // ClickHouse reports an error that happens after the first rows as text at the end of the body.
            throw new ClickHouseException($"Expected {expected} tab-separated fields but got {raw.Length} in: {Shorten(line)}");
        }

        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = Unescape(raw[i]);
        }

        return raw;
    }

    /// <summary>Undoes the escaping of one field (<c>\t \n \r \0 \b \f \\ \'</c> and any other escaped character as itself).</summary>
    public static string Unescape(string field)
    {
        var backslash = field.IndexOf('\\', StringComparison.Ordinal);
        if (backslash < 0)
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        builder.Append(field, 0, backslash);
        for (var i = backslash; i < field.Length; i++)
        {
            var c = field[i];
            if (c != '\\' || i == field.Length - 1)
            {
                builder.Append(c);
                continue;
            }

            var next = field[++i];
            builder.Append(next switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                '0' => '\0',
                'b' => '\b',
                'f' => '\f',
                'a' => '\a',
                'v' => '\v',
                _ => next,
            });
        }

        return builder.ToString();
    }

    public static long Int64(string field) => long.Parse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
