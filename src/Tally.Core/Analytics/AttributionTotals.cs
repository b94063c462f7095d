namespace Tally.Core.Analytics;

/// <summary>
/// Conversions, attributed conversions and credits per value, in the order results list them (most conversions
/// first, then by value). Shared by the engine and every store, so all rank credits the same way.
/// </summary>
public sealed class AttributionTotals
{
    private readonly Dictionary<string, long> _credits = new(StringComparer.Ordinal);

    public long Conversions { get; private set; }
    public long Attributed { get; private set; }

    public void Add(long count, string? credit)
    {
        Conversions += count;
        if (credit is null) return;
        Attributed += count;
        _credits[credit] = _credits.GetValueOrDefault(credit) + count;
    }

    public List<AttributionCredit> Credits() => _credits
        .Select(c => new AttributionCredit(c.Key, c.Value))
        .OrderByDescending(c => c.Conversions).ThenBy(c => c.Value, StringComparer.Ordinal)
        .ToList();
}
