namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// Numbers in SQL the way the engine sees them (<c>PropertyFlattener.Scalar</c> and <c>Stats.Number</c>), without
/// trusting 18.16's float parser: its <c>toFloat64('1.91')</c> is 1.9100000000000001, so parsing and printing a
/// property would not give the engine's text back. Instead a number's text is taken apart into its significant digits D
/// and exponents (value = D × 10^K, first digit at 10^E) with string functions, and
/// <list type="bullet">
/// <item>its normalised text is built from D and E: a decimal of at most 15 significant digits is the shortest
/// round-trip form of the double nearest to it, so D is exactly what .NET's "R" format prints, laid out by its rules
/// (integers below 9e15 in full, otherwise scientific notation when E ≥ 17 or E ≤ −5);</item>
/// <item>its value is D × 10^K or D / 10^−K for up to 15 digits and |K| ≤ 22, one correctly rounded IEEE operation on
/// exact operands (Clinger's fast path), so the double is the one .NET parses.</item>
/// </list>
/// Longer mantissas fall back to <c>toFloat64</c>, which on 18.16 may be one unit in the last place off (see
/// docs/clickhouse-store.md).
/// </summary>
internal static class NumberSql
{
    /// <summary>What .NET's <c>double.TryParse(s, NumberStyles.Float, InvariantCulture)</c> accepts, infinities and NaN aside (they are not finite).</summary>
    public const string FloatPattern = @"^[\t\n\v\f\r ]*[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?[\t\n\v\f\r ]*$";

    private const string Zeros = "'00000000000000000000'";

    /// <summary>Significant digits, the exponent of the last and of the first digit, and the sign of a decimal's text.</summary>
    public sealed record Parts(string Digits, string LastExponent, string FirstExponent, string Negative, string Unsigned);

    /// <summary>
    /// Takes apart <paramref name="text"/>, which must match <see cref="FloatPattern"/> without surrounding white space
    /// (a JSON number token does; ClickHouse's own float output too).
    /// </summary>
    public static Parts Decompose(SelectList s, string prefix, string text)
    {
        var u = s.Add($"{prefix}_u", $"replaceRegexpOne({text}, '^[+-]', '')");
        var negative = s.Add($"{prefix}_neg", $"startsWith({text}, '-')");
        var mantissa = s.Add($"{prefix}_m", $"replaceRegexpOne({u}, '[eE].*$', '')");
        var exponent = s.Add($"{prefix}_x", $"toInt64OrZero(replaceRegexpOne(replaceRegexpOne({u}, '^[^eE]*[eE]?', ''), '^[+]', ''))");
        var fraction = s.Add($"{prefix}_f", $"if(position({mantissa}, '.') > 0, replaceRegexpOne({mantissa}, '^[^.]*[.]', ''), '')");
        var all = s.Add($"{prefix}_a", $"replaceRegexpOne(replaceAll({mantissa}, '.', ''), '^0+', '')");
        var digits = s.Add($"{prefix}_d", $"replaceRegexpOne({all}, '0+$', '')");
        var last = s.Add($"{prefix}_k", $"({exponent} - toInt64(length({fraction})) + toInt64(length({all})) - toInt64(length({digits})))");
        var first = s.Add($"{prefix}_e", $"({last} + toInt64(length({digits})) - 1)");
        return new Parts(digits, last, first, negative, u);
    }

    /// <summary>
    /// The engine's text of a JSON number token (<c>PropertyFlattener</c>): an integer literal that fits a long as it is
    /// (<c>-0</c> as <c>0</c>), an integral value below 9e15 in full, anything else as .NET's "R" format prints the double.
    /// Built over several levels of <paramref name="stages"/>; the text is an alias of <see cref="StagedSelect.Layout"/>.
    /// </summary>
    public static string Text(StagedSelect stages, string prefix, string token)
    {
        var exact = Decompose(stages[StagedSelect.Parts], prefix, token);
        // Beyond 15 digits the text need not be the double's shortest form: print the double ClickHouse parsed and read its digits.
        var reprint = stages[StagedSelect.Parts];
        var printed = reprint.Add($"{prefix}_p", $"toString(abs(toFloat64OrZero({exact.Unsigned})))");
        var reprinted = Decompose(reprint, prefix + "r", printed);
        var useExact = reprint.Add($"{prefix}_ex", $"(length({exact.Digits}) <= 15 AND {exact.FirstExponent} BETWEEN -300 AND 300)");
        var chosen = stages[StagedSelect.Layout];
        var d = chosen.Add($"{prefix}_D", $"if({useExact}, {exact.Digits}, {reprinted.Digits})");
        var k = chosen.Add($"{prefix}_K", $"if({useExact}, {exact.LastExponent}, {reprinted.LastExponent})");
        var e = chosen.Add($"{prefix}_E", $"if({useExact}, {exact.FirstExponent}, {reprinted.FirstExponent})");

        var body = $"""
            multiIf({d} = '', '0',
                {k} >= 0 AND ({e} < 15 OR ({e} = 15 AND substring({d}, 1, 1) < '9')), concat({d}, substring({Zeros}, 1, greatest({k}, 0))),
                {e} >= 17 OR {e} <= -5, concat(substring({d}, 1, 1), if(length({d}) > 1, concat('.', substring({d}, 2)), ''), 'E', if({e} < 0, '-', '+'), if(abs({e}) < 10, '0', ''), toString(abs({e}))),
                {e} < 0, concat('0.', substring({Zeros}, 1, greatest(-{e} - 1, 0)), {d}),
                toInt64(length({d})) <= {e} + 1, concat({d}, substring({Zeros}, 1, greatest({e} + 1 - toInt64(length({d})), 0))),
                concat(substring({d}, 1, greatest({e} + 1, 0)), '.', substring({d}, greatest({e} + 2, 1))))
            """;
        var layout = stages[StagedSelect.Layout];
        var formatted = layout.Add($"{prefix}_t", $"concat(if({exact.Negative} AND {d} != '', '-', ''), {body})");
        return layout.Add($"{prefix}_T", $"if({IntegerLiteral(token)}, if({token} = '-0', '0', {token}), {formatted})");
    }

    /// <summary>
    /// The double <c>Stats.Number</c> reads from <paramref name="text"/> (matching <see cref="FloatPattern"/>, white space
    /// trimmed), an alias of <see cref="StagedSelect.Parts"/>. Where <paramref name="negativeZero"/> is false a zero
    /// is +0: a JSON number token's normalised text never says -0, while a string "-0" parses as -0.
    /// </summary>
    public static string Value(StagedSelect stages, string prefix, string text, string negativeZero)
    {
        var p = Decompose(stages[StagedSelect.Parts], prefix, text);
        var s = stages[StagedSelect.Parts];
        var powers = s.Add("pow10", Powers());
        var mantissa = $"toFloat64(toInt64OrZero({p.Digits}))";
        var power = $"arrayElement({powers}, toUInt64(least(abs({p.LastExponent}), 22) + 1))";
        var magnitude = s.Add($"{prefix}_mag", $"""
            multiIf({p.Digits} = '', 0.,
                length({p.Digits}) <= 15 AND abs({p.LastExponent}) <= 22, if({p.LastExponent} >= 0, {mantissa} * {power}, {mantissa} / {power}),
                match({p.Unsigned}, '^[0-9]+$') AND length(replaceRegexpOne({p.Unsigned}, '^0+', '')) <= 18, toFloat64(toInt64OrZero({p.Unsigned})),
                toFloat64OrZero({p.Unsigned}))
            """);
        return s.Add($"{prefix}_val", $"multiIf({p.Digits} = '' AND NOT ({negativeZero}), 0., {p.Negative}, -{magnitude}, {magnitude})");
    }

    /// <summary>An integer literal that fits a long, as a JSON number token (optional minus, digits).</summary>
    private static string IntegerLiteral(string token) =>
        $"(match({token}, '^-?[0-9]+$') AND (length(replaceRegexpOne({token}, '^-', '')) < 19 " +
        $"OR (length({token}) = 19 AND {token} <= '9223372036854775807') OR (length({token}) = 20 AND {token} <= '-9223372036854775808')))";

    /// <summary>10^0 … 10^22, each an exact double: integers up to 10^19 converted exactly, the rest exact products.</summary>
    private static string Powers()
    {
        var items = new List<string>();
        for (var i = 0; i <= 19; i++)
        {
            items.Add($"toFloat64(1{new string('0', i)})");
        }

        items.Add("toFloat64(10000000000000000000) * 10");
        items.Add("toFloat64(10000000000000000000) * 100");
        items.Add("toFloat64(10000000000000000000) * 1000");
        return "[" + string.Join(", ", items) + "]";
    }
}
