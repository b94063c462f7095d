using System.Text.Json;
using System.Text.RegularExpressions;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// A property of the stored <c>properties</c> JSON as the engine's flattened view has it (<c>PropertyFlattener</c>).
/// The JSON is split into tokens (<c>extractAll</c>: strings, punctuation, literals) and each token's nesting depth
/// is a running sum over brackets, so a flattened key <c>a.b</c> is found exactly where the flattener would assign it:
/// a key token at depth 2 whose enclosing object is the value of key <c>a</c> at depth 1, every enclosing container an
/// object (arrays are skipped), with a scalar or null value. Of several assignments (a duplicate key, or a literal
/// key <c>"a.b"</c> beside a nested one) the last in the text wins, as in the flattener's dictionary. Strings are
/// decoded by <c>visitParamExtractString</c>, booleans are <c>true</c>/<c>false</c>, numbers compare by their
/// normalised text (<see cref="NumberSql"/>); JSON null, objects and arrays are missing values.
/// </summary>
/// <remarks>
/// 18.16's visitParam functions alone would take the first <c>"key":</c> at any depth, so a nested field of the same
/// name earlier in the text would shadow the real one. Keys are matched as the pipeline writes them (compact JSON,
/// System.Text.Json's default escaping of names).
/// </remarks>
internal sealed partial class PropertySql(StagedSelect stages, string json = "properties")
{
    public const string NoValue = "(none)";

    /// <summary>A JSON token: a string (escapes included), one punctuation character, or a literal (number, true, false, null).</summary>
    private static readonly string TokenPattern = SqlLiteral.String(@"""(?:[^""\\]|\\.)*""|[{}\[\]:,]|[^\s{}\[\]:,""]+");

    private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    private SelectList Top => stages[StagedSelect.Top];

    /// <summary>True when the event carries the property as a scalar (not missing, null, an object or an array).</summary>
    public string Has(string key)
    {
        var p = Extract(key);
        return Top.Add($"{p}_has", $"({p}_isstr OR {p}_isbool OR {p}_isnum)");
    }

    /// <summary>The property's text as the engine compares and groups it, or <c>(none)</c> when the event lacks it.</summary>
    public string TextOrNone(string key)
    {
        var p = Extract(key);
        return Top.Add($"{p}_txt", $"multiIf({p}_isstr, {p}_s, {p}_isbool, {p}_r, {p}_isnum, {NumberText(p)}, {SqlLiteral.String(NoValue)})");
    }

    /// <summary>The condition "the property equals <paramref name="value"/> as text" (a missing property never does).</summary>
    public string EqualsText(string key, string value)
    {
        var p = Extract(key);
        var literal = SqlLiteral.String(value);
        var asString = $"({p}_isstr AND {p}_s = {literal})";
        if (value is "true" or "false")
        {
            return $"({p}_r = {literal} OR {asString})";
        }

        // Only text of this shape can be a normalised number; anything else can only be equal to a string.
        return NumberShape().IsMatch(value) ? $"({asString} OR ({p}_isnum AND {NumberText(p)} = {literal}))" : asString;
    }

    /// <summary>
    /// The property as the finite number <c>Stats.Number</c> reads from its text (a JSON number, or a string such as
    /// <c>" 12.5"</c>), with the condition that it is one.
    /// </summary>
    public (string IsNumber, string Value) Number(string key)
    {
        var p = Extract(key);
        var parts = stages[StagedSelect.Parts];
        var trimmed = parts.Add($"{p}_st", $"replaceRegexpAll({p}_s, {SqlLiteral.String(@"^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$")}, '')");
        var source = parts.Add($"{p}_ns", $"if({p}_isstr, {trimmed}, {p}_r)");
        var value = NumberSql.Value(stages, $"{p}_v", source, $"{p}_isstr");
        var ok = Top.Add($"{p}_isn", $"(({p}_isnum OR ({p}_isstr AND match({p}_s, {SqlLiteral.String(NumberSql.FloatPattern)}))) AND isFinite({value}))");
        return (ok, value);
    }

    private string NumberText(string p) => stages[StagedSelect.Layout].Has($"{p}_n_T") ? $"{p}_n_T" : NumberSql.Text(stages, $"{p}_n", $"{p}_r");

    /// <summary>
    /// Defines the raw JSON value and decoded string of <paramref name="key"/> once, and the kind of value it holds;
    /// returns the property's alias prefix.
    /// </summary>
    private string Extract(string key)
    {
        if (_prefixes.TryGetValue(key, out var known))
        {
            return known;
        }

        if (_prefixes.Count == 0)
        {
            Tokenize();
        }

        var p = $"p{_prefixes.Count}";
        _prefixes[key] = p;
        var raw = stages[StagedSelect.Raw];
        raw.Keep("tok", "tok_i", "tok_after");
        var found = new List<string>();
        var c = 0;
        foreach (var groups in Spellings(key))
        {
            var depth = groups.Count;
            // Key tokens of the last name at its depth, followed by ':' and a scalar or null.
            var keys = raw.Add($"{p}_k{c}",
                $"arrayFilter((i_, t_, n_, v_, b_) -> t_ = {KeyToken(groups[^1])} AND n_ = ':' AND v_ NOT IN ('{{', '[') AND b_ = {depth}, tok_i, tok, tok_next, tok_next2, tok_before)");
            // Each enclosing container an object, the value of the previous name (the root, at depth 1, needs no name).
            var ancestry = new List<string> { "1" };
            for (var d = 2; d <= depth; d++)
            {
                var opener = $"arrayReduce('max', arrayFilter((j_, u_, a_) -> j_ < i_ AND (u_ = '{{' OR u_ = '[') AND a_ = {d}, tok_i, tok, tok_after))";
                ancestry.Add($"({opener} >= 3 AND arrayElement(tok, {opener}) = '{{' AND arrayElement(tok, {opener} - 1) = ':' AND arrayElement(tok, {opener} - 2) = {KeyToken(groups[d - 2])})");
            }

            var assigned = depth == 1 ? keys : $"arrayFilter(i_ -> {string.Join(" AND ", ancestry)}, {keys})";
            found.Add(raw.Add($"{p}_m{c}", $"arrayReduce('max', {assigned})"));
            c++;
        }

        // The last assignment in the text wins; its value token is two after the key.
        var last = raw.Add($"{p}_i", found.Count == 1 ? found[0] : $"arrayReduce('max', [{string.Join(", ", found)}])");
        raw.Add($"{p}_r", $"if({last} > 0 AND arrayElement(tok, 1) = '{{', arrayElement(tok, {last} + 2), '')");
        raw.Add($"{p}_s", $"visitParamExtractString(concat('{{\"v\":', {p}_r, '}}'), 'v')");

        var parts = stages[StagedSelect.Parts];
        parts.Add($"{p}_isstr", $"startsWith({p}_r, '\"')");
        parts.Add($"{p}_isbool", $"({p}_r = 'true' OR {p}_r = 'false')");
        parts.Add($"{p}_isnum", $"match({p}_r, '^-?[0-9]')");
        return p;
    }

    /// <summary>The JSON as tokens (strings with their quotes, punctuation, literals), each token's depth after and before it, and its next two tokens.</summary>
    private void Tokenize()
    {
        stages[StagedSelect.Tokens].Add("tok", $"extractAll({json}, {TokenPattern})");
        var shape = stages[StagedSelect.Tokens];
        shape.Add("tok_i", "arrayEnumerate(tok)");
        shape.Add("tok_next", "arrayPushBack(arrayPopFront(tok), '')");
        shape.Add("tok_next2", "arrayPushBack(arrayPushBack(arrayPopFront(arrayPopFront(tok)), ''), '')");
        shape.Add("tok_after", "arrayCumSum(arrayMap(x_ -> multiIf(x_ = '{' OR x_ = '[', 1, x_ = '}' OR x_ = ']', -1, 0), tok))");
        shape.Add("tok_before", "arrayPushFront(arrayPopBack(tok_after), 0)");
    }

    /// <summary>A name as the pipeline's JSON writer spells it, quotes included, as a SQL literal.</summary>
    private static string KeyToken(string name) => SqlLiteral.String("\"" + JsonEncodedText.Encode(name) + "\"");

    /// <summary>
    /// The ways a flattened key can be spelt in JSON: each split of its dotted segments into nested object names
    /// (<c>a.b.c</c>: a→b→c, a→"b.c", "a.b"→c, "a.b.c"). Keys with more than four dots try only the fully nested and
    /// the literal spelling.
    /// </summary>
    internal static IEnumerable<List<string>> Spellings(string key)
    {
        var segments = key.Split('.');
        var gaps = segments.Length - 1;
        if (gaps == 0 || gaps > 4)
        {
            yield return [key];
            if (gaps > 0) yield return [.. segments];
            yield break;
        }

        // Bit i of a mask set: a new name starts after segment i.
        var masks = Enumerable.Range(0, 1 << gaps);
        foreach (var mask in masks)
        {
            var groups = new List<string>();
            var current = segments[0];
            for (var i = 0; i < gaps; i++)
            {
                if ((mask & (1 << (gaps - 1 - i))) != 0)
                {
                    groups.Add(current);
                    current = segments[i + 1];
                }
                else
                {
                    current += "." + segments[i + 1];
                }
            }

            groups.Add(current);
            yield return groups;
        }
    }

    [GeneratedRegex(@"^-?[0-9][0-9.]*(E[+-][0-9]+)?$")]
    private static partial Regex NumberShape();
}
