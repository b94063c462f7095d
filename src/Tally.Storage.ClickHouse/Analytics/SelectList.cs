namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// The expressions of one SELECT level, each under an alias. ClickHouse lets an expression use an alias defined anywhere
/// in the same SELECT, so long computations (number normalisation, funnel chains) are written as named steps instead of
/// one nested expression; the server evaluates each once per block. Aliases are unique per query because 18.16 treats
/// them as global across subqueries.
/// </summary>
internal sealed class SelectList
{
    private readonly List<(string Alias, string Expression)> _items = [];
    private readonly HashSet<string> _aliases = new(StringComparer.Ordinal);
    private readonly List<string> _kept = [];

    /// <summary>Defines <paramref name="alias"/> unless it is defined already (same property, same step); returns the alias.</summary>
    public string Add(string alias, string expression)
    {
        if (_aliases.Add(alias))
        {
            _items.Add((alias, expression));
        }

        return alias;
    }

    public bool Has(string alias) => _aliases.Contains(alias);

    /// <summary>Columns of the level below that lambdas of this level read (<see cref="KeepClause"/>).</summary>
    public void Keep(params string[] columns)
    {
        foreach (var c in columns)
        {
            if (!_kept.Contains(c))
            {
                _kept.Add(c);
            }
        }
    }

    /// <summary>
    /// <c>WHERE NOT ignore(…)</c> over the kept columns, or nothing. 18.16 does not count a column that only a lambda
    /// reads as needed and drops it from the subquery ("Unknown identifier"); naming it outside any lambda keeps it.
    /// </summary>
    public string KeepClause => _kept.Count == 0 ? "" : $"\nWHERE NOT ignore({string.Join(", ", _kept)})";

    public IEnumerable<string> Aliases => _items.Select(i => i.Alias);

    public IReadOnlyList<(string Alias, string Expression)> Items => _items;

    public IReadOnlyList<string> KeptColumns => _kept;

    public override string ToString() => string.Join(",\n    ", _items.Select(i => $"{i.Expression} AS {i.Alias}"));
}
