using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The one string-literal escaper, checked against the real server: whatever goes in comes back unchanged, so no
/// value can end a literal early and run as SQL. Read back through the store's own TabSeparated reader.
/// </summary>
public sealed class SqlLiteralTests
{
    public static TheoryData<string> Awkward => new()
    {
        "",
        "plain",
        "it's",
        "'; DROP DATABASE system; --",
        @"back\slash and \' escaped quote",
        "trailing backslash \\",
        "\\'",
        "tab\t newline\n carriage\r nul\0 bell\a backspace\b formfeed\f vtab\v esc\u001b unit\u001f",
        "ünïcødé, 中文, emoji 😀",
        "{x:String} ${y} ? $1 @p",
        "`backtick` \"double\"",
    };

    [Theory]
    [MemberData(nameof(Awkward))]
    public async Task A_string_literal_reads_back_as_the_string(string value)
    {
        using var http = new ClickHouseHttp(ClickHouseServer.Url, "system", null, null);

        var rows = await http.QueryAsync($"SELECT {SqlLiteral.String(value)}, length({SqlLiteral.String(value)})", 2, TestContext.Current.CancellationToken);

        var row = Assert.Single(rows);
        Assert.Equal(value, row[0]);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(value).ToString(System.Globalization.CultureInfo.InvariantCulture), row[1]);
    }

    [Theory]
    [InlineData("tally")]
    [InlineData("tally_test_0f3a")]
    [InlineData("_x")]
    public void Plain_database_names_are_accepted(string name) => Assert.Equal(name, SqlLiteral.Identifier(name));

    [Theory]
    [InlineData("")]
    [InlineData("1tally")]
    [InlineData("tally-prod")]
    [InlineData("tally; DROP DATABASE x")]
    [InlineData("t`ally")]
    public void Other_database_names_are_refused(string name) => Assert.ThrowsAny<ArgumentException>(() => SqlLiteral.Identifier(name));

    [Theory]
    [InlineData(@"a\tb", "a\tb")]
    [InlineData(@"line\nnext", "line\nnext")]
    [InlineData(@"\\\'\0", "\\'\0")]
    [InlineData(@"no escapes", "no escapes")]
    [InlineData(@"\b\f\r", "\b\f\r")]
    public void Tab_separated_fields_are_unescaped(string field, string expected) => Assert.Equal(expected, TabSeparated.Unescape(field));

    [Fact]
    public void A_line_with_the_wrong_number_of_fields_is_an_error_not_a_short_row() =>
        Assert.Throws<Tally.Storage.ClickHouse.ClickHouseException>(() => TabSeparated.Fields("a\tb", 3));
}
