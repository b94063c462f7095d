using Tally.Core.Events;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Sums a batch's counts per roll-up row in memory, so a batch of thousands of events of a few names costs a few
/// upserts instead of one per event.
/// </summary>
internal sealed class RollupAccumulator
{
    private readonly Dictionary<RollupKey, long> _counts = [];

    public void Add(CollectedEvent e)
    {
        var row = RollupRow.Of(e);
        var key = new RollupKey(row.Day, row.Name, row.Environment, row.Source, row.Dimensions);
        _counts[key] = _counts.GetValueOrDefault(key) + e.Count;
    }

    public IEnumerable<KeyValuePair<RollupKey, long>> Rows => _counts;
}
