namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// Row-wise expressions in stacked SELECT levels, each level reading the columns of the one below
/// (<c>SELECT *, … FROM (level below)</c>). 18.16 substitutes an alias's whole expression wherever it is used before it
/// evaluates anything, so a chain of aliases that each use the previous one twice grows exponentially and hits the
/// 500,000-node AST limit; a level boundary turns an alias into a plain column and stops that growth. Number
/// normalisation needs a few such steps, so property reading has its own levels below the callers' one.
/// </summary>
internal sealed partial class StagedSelect
{
    /// <summary>The properties JSON as tokens (<see cref="PropertySql"/>), each token's depth and neighbours.</summary>
    public const int Tokens = 0;

    /// <summary>Each property's JSON value (its token) and decoded string.</summary>
    public const int Raw = 1;

    /// <summary>Kinds of values, the parts of numbers, numbers re-read through ClickHouse's float printing, values.</summary>
    public const int Parts = 2;

    /// <summary>The digits and exponents a number's text is laid out from, and the text.</summary>
    public const int Layout = 3;

    /// <summary>Property texts and the callers' expressions: filters, group values.</summary>
    public const int Top = 4;

    private readonly SelectList[] _levels = Enumerable.Range(0, Top + 1).Select(_ => new SelectList()).ToArray();

    public SelectList this[int level] => _levels[level];

    /// <summary>
    /// The nested SELECTs: the lowest reads <paramref name="columns"/> and its own expressions from <paramref name="from"/>
    /// (a table and its WHERE clause), each higher one its own expressions and the columns of the one below that are
    /// still needed. Only what <paramref name="consumer"/> (the SQL that reads the result) refers to is computed and
    /// passed up: fewer columns make 18.16 analyse a deep query much faster.
    /// </summary>
    public string Sql(IReadOnlyList<(string Expression, string Name)> columns, string from, string consumer)
    {
        // What each level can pass up: the columns read from the table and the aliases of the levels up to it.
        var available = new HashSet<string>[Top + 1];
        for (var level = 0; level <= Top; level++)
        {
            available[level] = level == 0 ? columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(available[level - 1], StringComparer.Ordinal);
            available[level].UnionWith(_levels[level].Aliases);
        }

        var needed = Identifiers(consumer);
        var kept = new List<(string Alias, string Expression)>[Top + 1];
        var passed = new List<string>[Top + 1];
        for (var level = Top; level >= 0; level--)
        {
            kept[level] = _levels[level].Items.Where(i => needed.Contains(i.Alias)).ToList();
            var defined = _levels[level].Items.Select(i => i.Alias).ToHashSet(StringComparer.Ordinal);
            passed[level] = level == 0 ? [] : needed.Where(n => !defined.Contains(n) && available[level - 1].Contains(n)).Order(StringComparer.Ordinal).ToList();
            // An alias used by a kept expression of the same level is kept too, and so on.
            for (var grew = true; grew;)
            {
                grew = false;
                var uses = Identifiers(string.Join(" ", kept[level].Select(k => k.Expression)));
                foreach (var item in _levels[level].Items)
                {
                    if (uses.Contains(item.Alias) && !kept[level].Contains(item))
                    {
                        kept[level].Add(item);
                        grew = true;
                    }
                }
            }

            kept[level] = _levels[level].Items.Where(kept[level].Contains).ToList();
            needed = Identifiers(string.Join(" ", kept[level].Select(k => k.Expression)));
            needed.UnionWith(passed[level]);
            needed.UnionWith(_levels[level].KeptColumns);
        }

        string Items(List<(string Alias, string Expression)> items) => string.Join(",\n    ", items.Select(i => $"{i.Expression} AS {i.Alias}"));
        var read = string.Join(", ", columns.Select(c => c.Expression == c.Name ? c.Name : $"{c.Expression} AS {c.Name}"));
        var sql = kept[0].Count > 0 ? $"SELECT {read},\n    {Items(kept[0])}\nFROM {from}" : $"SELECT {read}\nFROM {from}";
        for (var level = 1; level <= Top; level++)
        {
            if (kept[level].Count == 0)
            {
                continue;
            }

            var below = passed[level].Count == 0 ? "" : string.Join(", ", passed[level]) + ",\n    ";
            sql = $"SELECT {below}{Items(kept[level])}\nFROM (\n{sql}\n){_levels[level].KeepClause}";
        }

        return sql;
    }

    /// <summary>Every word that could name a column (function names and words in literals too, which is harmless).</summary>
    public static HashSet<string> Identifiers(string sql) =>
        Word().Matches(sql).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial System.Text.RegularExpressions.Regex Word();
}
