using Tally.Core.Events;

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
        var key = new RollupKey(UnixTime.UtcDay(e.Timestamp), e.Name, e.Environment, e.Source ?? "");
        _counts[key] = _counts.GetValueOrDefault(key) + e.Count;
    }

    public IEnumerable<KeyValuePair<RollupKey, long>> Rows => _counts;
}
