namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// Row-wise expressions in stacked SELECT levels, each level reading the columns of the one below
/// (<c>SELECT *, … FROM (level below)</c>). 18.16 substitutes an alias's whole expression wherever it is used before it
/// evaluates anything, so a chain of aliases that each use the previous one twice grows exponentially and hits the
/// 500,000-node AST limit; a level boundary turns an alias into a plain column and stops that growth. Number
/// normalisation needs a few such steps, so property reading has its own levels below the callers' one.
/// </summary>
internal sealed class StagedSelect
{
    /// <summary>The properties JSON as tokens (<see cref="PropertySql"/>).</summary>
    public const int Tokens = 0;

    /// <summary>Each token's depth and neighbours.</summary>
    public const int Shape = 1;

    /// <summary>Each property's JSON value (its token) and decoded string.</summary>
    public const int Raw = 2;

    /// <summary>Kinds of values and the parts of numbers.</summary>
    public const int Parts = 3;

    /// <summary>Numbers re-read through ClickHouse's own float printing (long mantissas), and values.</summary>
    public const int Reprinted = 4;

    /// <summary>The digits and exponents a number's text is laid out from.</summary>
    public const int Chosen = 5;

    /// <summary>A number's text.</summary>
    public const int Layout = 6;

    /// <summary>Property texts and the callers' expressions: filters, group values.</summary>
    public const int Top = 7;

    private readonly SelectList[] _levels = Enumerable.Range(0, Top + 1).Select(_ => new SelectList()).ToArray();

    public SelectList this[int level] => _levels[level];

    /// <summary>
    /// The nested SELECTs: the lowest reads <paramref name="columns"/> and its own expressions from <paramref name="from"/>
    /// (a table and its WHERE clause), each higher one adds its expressions to everything below.
    /// </summary>
    public string Sql(string columns, string from)
    {
        var sql = _levels[0].Aliases.Any() ? $"SELECT {columns},\n    {_levels[0]}\nFROM {from}" : $"SELECT {columns}\nFROM {from}";
        for (var level = 1; level <= Top; level++)
        {
            if (_levels[level].Aliases.Any())
            {
                sql = $"SELECT *,\n    {_levels[level]}\nFROM (\n{sql}\n){_levels[level].KeepClause}";
            }
        }

        return sql;
    }
}
