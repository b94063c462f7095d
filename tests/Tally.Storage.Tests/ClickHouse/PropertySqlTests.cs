using System.Globalization;
using System.Text.Json;
using Tally.Core.Analytics;
using Tally.Storage.ClickHouse.Analytics;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The SQL that reads properties must see what the engine's flattener sees: the same text for every scalar (numbers
/// normalised: <c>5e2</c> is <c>500</c>), the same missing values, the same numbers for medians and averages. Each
/// document goes to the real server as a row of an external table, and each answer is compared with
/// <see cref="PropertyFlattener"/> on the same JSON.
/// </summary>
public sealed class PropertySqlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Tokens =
    [
        "0", "-0", "5", "-5", "500", "5e2", "5E2", "5e+2", "5.0e2", "500.0", "500.00", "-500.0", "-0.0", "0.000",
        "2.5", "2.50", "0.1", "1.91", "0.87", "19.99", "-3", "1e-7", "1.5e-5", "0.0001", "0.00012", "1200.5e-2", "0.5e1",
        "12e-1", "100", "1e15", "9e15", "8.99e15", "8999999999999999", "1e16", "1.5e16", "1e17", "1.2345e17", "1e21",
        "1e-300", "4.35e-310", "123456789012345.6", "9007199254740993", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "12345678901234567890", "0.30000000000000004",
        "1.7976931348623157e308", "72.5", "3600000", "\"500\"", "\" 12.5 \"", "\"+5\"", "\".5\"", "\"5.\"", "\"abc\"",
        "\"\"", "\"1e3\"", "\"12,5\"", "\"Infinity\"", "\"NaN\"", "\"-0\"", "\"1e400\"", "\"\\u00e9t\\u00e9\"",
        "\"tab\\tquote\\\"\"", "\"😀\"", "true", "false", "null", "{}", "[1,2]", "{\"x\":1}",
    ];

    [Fact]
    public async Task Text_and_numbers_of_every_kind_of_value_match_the_flattener()
    {
        var documents = Tokens.Select(t => $$"""{"other":1,"k":{{t}}}""").Concat(RandomNumbers(400)).ToList();

        var answers = await EvaluateAsync(documents, "k");

        for (var i = 0; i < documents.Count; i++)
        {
            var expected = PropertyFlattener.Flatten(documents[i]).GetValueOrDefault("k");
            var (has, text, isNumber, value) = answers[i];
            Assert.True(expected is not null == has, $"has {documents[i]}");
            // Beyond 15 digits the SQL prints the double 18.16's parser makes, which may be one unit in the last place off.
            Assert.True((expected ?? FunnelEngine.NoValue) == text || Digits(documents[i]) > 15, $"text of {documents[i]}: engine {expected}, SQL {text}");
            var number = Number(expected);
            Assert.True(number.HasValue == isNumber, $"is number {documents[i]}: engine {number}");
            if (number is { } n && Digits(documents[i]) <= 15 && Math.Abs(LastExponent(documents[i])) <= 22)
            {
                // Within 15 significant digits and 10^±22 the SQL builds the very double .NET parses.
                Assert.True(BitConverter.DoubleToInt64Bits(n) == BitConverter.DoubleToInt64Bits(value), $"value of {documents[i]}: engine {n:R}, SQL {value:R}");
            }
            else if (number is { } m)
            {
                Assert.True(Math.Abs(m - value) <= Math.Abs(m) * 1e-15, $"value of {documents[i]}: engine {m:R}, SQL {value:R}");
            }
        }
    }

    [Fact]
    public async Task Equality_compares_the_normalised_text()
    {
        string[] documents = ["""{"k":5e2}""", """{"k":"500"}""", """{"k":500.5}""", """{"k":true}""", """{"k":"true"}""", """{"k":null}""", """{"j":500}""", """{"k":1e-7}"""];
        string[] values = ["500", "5e2", "500.5", "true", "1E-07", "", "null"];

        var matches = await EqualsAsync(documents, "k", values);

        for (var i = 0; i < documents.Count(); i++)
        {
            var text = PropertyFlattener.Flatten(documents[i]).GetValueOrDefault("k");
            for (var v = 0; v < values.Length; v++)
            {
                Assert.True((text is not null && text == values[v]) == matches[i][v], $"{documents[i]} = {values[v]}");
            }
        }
    }

    [Fact]
    public async Task Keys_are_found_where_the_flattener_assigns_them()
    {
        string[] documents =
        [
            """{"decision":{"department":"billing","confidence":0.87}}""",
            """{"decision.department":"sales"}""",
            """{"decision":{"department":null}}""",
            """{"decision":"flat"}""",
            """{"decision":{"sub":{"department":"deep"}}}""",
            """{"a":{"b.c":{"d":4e1}}}""",
            """{"decision":{"department":"nested"},"decision.department":"literal, later"}""",
            """{"decision.department":"literal","decision":{"department":"nested, later"}}""",
            """{"decision":[{"department":"in an array"}]}""",
            """{"x":{"decision":{"department":"x.decision"}},"decision":{"department":"top"}}""",
            """{"decision":{"department":"first","department":"duplicate"}}""",
            """{"decision":{"department":{"x":1}},"intent":"i"}""",
            """{"ctx":{"intent":"inner","k":"}{\"intent\":"},"intent":"outer"}""",
            """{"list":[{"intent":"in a list"}],"t":"x"}""",
            """[{"intent":"root is an array"}]""",
        ];

        var department = await EvaluateAsync(documents, "decision.department");
        var deep = await EvaluateAsync(documents, "a.b.c.d");
        var intent = await EvaluateAsync(documents, "intent");

        for (var i = 0; i < documents.Length; i++)
        {
            var flat = documents[i].StartsWith('{') ? PropertyFlattener.Flatten(documents[i]) : new Dictionary<string, string?>();
            Assert.Equal(flat.GetValueOrDefault("decision.department") ?? FunnelEngine.NoValue, department[i].Text);
            Assert.Equal(flat.GetValueOrDefault("a.b.c.d") ?? FunnelEngine.NoValue, deep[i].Text);
            Assert.Equal(flat.GetValueOrDefault("intent") ?? FunnelEngine.NoValue, intent[i].Text);
        }
    }

    [Fact]
    public void A_dotted_key_is_looked_up_in_every_spelling()
    {
        var spellings = PropertySql.Spellings("a.b.c").Select(g => string.Join("|", g)).Order(StringComparer.Ordinal);

        Assert.Equal(["a.b.c", "a.b|c", "a|b.c", "a|b|c"], spellings);
    }

    /// <summary>Decimals of up to 15 significant digits as clients write them: plain, with trailing zeros, scientific; some as strings.</summary>
    private static IEnumerable<string> RandomNumbers(int count)
    {
        var r = new Random(20260302);
        for (var i = 0; i < count; i++)
        {
            var digits = r.Next(1, 16);
            var mantissa = r.NextInt64((long)Math.Pow(10, digits - 1), (long)Math.Pow(10, digits)).ToString(CultureInfo.InvariantCulture);
            var point = r.Next(-12, digits + 8);
            var sign = r.Next(3) == 0 ? "-" : "";
            var text = (i % 4) switch
            {
                // Scientific, one digit before the point: 1.2345e-7
                0 => $"{sign}{mantissa[0]}{(digits > 1 ? "." + mantissa[1..] : "")}{(r.Next(2) == 0 ? "e" : "E")}{point - 1}",
                // Integer mantissa and exponent: 12345e-11
                1 => $"{sign}{mantissa}e{(point >= digits && r.Next(2) == 0 ? "+" : "")}{point - digits}",
                // Plain decimal, trailing zeros sometimes: 0.000012345, 12345000.00
                _ => sign + Plain(mantissa, point) + (r.Next(3) == 0 ? (Plain(mantissa, point).Contains('.') ? "00" : ".0") : ""),
            };
            yield return i % 5 == 0 ? $$"""{"k":"{{text}}"}""" : $$"""{"k":{{text}}}""";
        }
    }

    /// <summary>The digits with the decimal point after <paramref name="point"/> of them (before them when negative).</summary>
    private static string Plain(string digits, int point) =>
        point <= 0 ? "0." + new string('0', -point) + digits
        : point >= digits.Length ? digits + new string('0', point - digits.Length)
        : digits[..point] + "." + digits[point..];

    /// <summary>Significant digits of the number in a document (0 when there is none).</summary>
    private static int Digits(string document)
    {
        var value = JsonDocument.Parse(document).RootElement.GetProperty("k");
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : value.GetRawText();
        var mantissa = text.Split('e', 'E')[0].Replace(".", "", StringComparison.Ordinal).TrimStart('+', '-').Trim('0');
        return mantissa.Length;
    }

    /// <summary>The power of ten of the last significant digit of the number in a document.</summary>
    private static int LastExponent(string document)
    {
        var value = JsonDocument.Parse(document).RootElement.GetProperty("k");
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : value.GetRawText();
        var parts = text.TrimStart('+', '-').Split('e', 'E');
        var exponent = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x) ? x : 0;
        var point = parts[0].IndexOf('.', StringComparison.Ordinal);
        var fraction = point < 0 ? 0 : parts[0].Length - point - 1;
        var all = parts[0].Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        return exponent - fraction + (all.Length - all.TrimEnd('0').Length);
    }

    /// <summary><c>Stats.Number</c> restated: a finite double in invariant culture.</summary>
    private static double? Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    private static async Task<List<(bool Has, string Text, bool IsNumber, double Value)>> EvaluateAsync(IReadOnlyList<string> documents, string key)
    {
        var stages = new StagedSelect();
        var properties = new PropertySql(stages);
        var has = properties.Has(key);
        var text = properties.TextOrNone(key);
        var (isNumber, value) = properties.Number(key);
        var columns = $"i, {has}, {text}, {isNumber}, {value}";
        var rows = await QueryAsync($"SELECT {columns} FROM ({stages.Sql([("i", "i"), ("properties", "properties")], "docs", columns)}) ORDER BY i", 5, documents);
        return rows.Select(r => (r[1] == "1", r[2], r[3] == "1", AnalyticsSql.Double(r[4]))).ToList();
    }

    private static async Task<List<bool[]>> EqualsAsync(IReadOnlyList<string> documents, string key, string[] values)
    {
        var stages = new StagedSelect();
        var properties = new PropertySql(stages);
        var conditions = values.Select(v => properties.EqualsText(key, v)).ToList();
        var columns = $"i, {string.Join(", ", conditions)}";
        var rows = await QueryAsync($"SELECT {columns} FROM ({stages.Sql([("i", "i"), ("properties", "properties")], "docs", columns)}) ORDER BY i", 1 + values.Length, documents);
        return rows.Select(r => r[1..].Select(f => f == "1").ToArray()).ToList();
    }

    private static async Task<List<string[]>> QueryAsync(string sql, int columns, IReadOnlyList<string> documents)
    {
        using var http = new ClickHouseHttp(ClickHouseServer.Url, "default", null, null);
        using var rows = new JsonEachRow();
        for (var i = 0; i < documents.Count; i++)
        {
            var w = rows.Begin();
            w.WriteNumber("i", i);
            w.WriteString("properties", documents[i]);
            rows.End();
        }

        var result = await http.QueryAsync(sql, columns, Ct, new ExternalTable("docs", "i UInt32, properties String", rows.ToArray()));
        Assert.Equal(documents.Count, result.Count);
        return result;
    }
}
