namespace Tally.Storage.Sqlite.Projection;

/// <summary>The projection as one query sees it, while it holds the read lock.</summary>
internal sealed record ProjectionView(IReadOnlyDictionary<string, Dictionary<string, NamePartition>> Environments, IdInterner Ids)
{
    /// <summary>The partitions of <paramref name="environment"/> for <paramref name="names"/> (every name when null), in name order.</summary>
    public List<NamePartition> Partitions(string environment, IReadOnlyList<string>? names)
    {
        var result = new List<NamePartition>();
        if (!Environments.TryGetValue(environment, out var byName)) return result;
        if (names is null) result.AddRange(byName.Values);
        else
        {
            foreach (var n in names)
            {
                if (byName.TryGetValue(n, out var p)) result.Add(p);
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }
}
