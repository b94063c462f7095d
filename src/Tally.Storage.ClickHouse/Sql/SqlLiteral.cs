using System.Globalization;
using System.Text;

namespace Tally.Storage.ClickHouse.Sql;

/// <summary>
/// The one way a value enters SQL text. ClickHouse 18.16 has no HTTP query parameters (<c>{name:String}</c> came in
/// 19.x), so the few values a query filters on are written as literals here; batches of rows and id lists never go
/// into SQL text at all (they travel as JSONEachRow bodies and external tables).
/// </summary>
internal static class SqlLiteral
{
    /// <summary>
    /// A single-quoted string literal that reads back as exactly <paramref name="value"/>. Backslash and quote are
    /// escaped because ClickHouse literals use C-style escapes; control characters are escaped so the SQL text stays on
    /// one line and a NUL cannot end it early. Everything else passes through as UTF-8.
    /// </summary>
    public static string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\0': builder.Append(@"\0"); break;
                case '\b': builder.Append(@"\b"); break;
                case '\f': builder.Append(@"\f"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append(@"\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>An integer literal; culture-independent, so no locale can put a separator into it.</summary>
    public static string Int64(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A Date literal for a UTC calendar day.</summary>
    public static string Date(DateOnly day) => $"toDate({String(UnixTime.DayText(day))})";

    /// <summary>
    /// A database name, checked rather than escaped: it appears as an identifier in DDL and as a URL parameter, and a
    /// plain <c>[A-Za-z_][A-Za-z0-9_]*</c> name is valid unquoted in both, on every ClickHouse version.
    /// </summary>
    public static string Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IsIdentifier(name))
        {
            throw new ArgumentException($"'{name}' is not a valid ClickHouse database name: use letters, digits and '_', not starting with a digit.", nameof(name));
        }

        return name;
    }

    public static bool IsIdentifier(string name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
