using Tally.Core.Events;
using Tally.Core.Storage;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Sums a batch's counts per roll-up row in memory, so a batch of thousands of events of a few names costs a few
/// upserts instead of one per event. A batch holds few distinct rows (a day, a handful of names), so they are found
/// by a linear search with ordinal comparisons, which stop at the first differing length or character; hashing the
/// key's four strings per event with the default randomized string hash cost more.
/// </summary>
internal sealed class RollupAccumulator
{
    // Past this many rows (a backfill spanning many days), a dictionary takes over from the linear search.
    private const int LinearLimit = 32;

    private readonly List<RollupKey> _keys = [];
    private readonly List<long> _counts = [];
    private Dictionary<RollupKey, int>? _index;

    public void Add(CollectedEvent e)
    {
        // RollupRow.Of's fields, without a row object per event: this runs on the store's one writer thread.
        var key = new RollupKey(RollupRow.DayOf(e), e.Name, e.Environment, RollupRow.SourceOf(e), RollupRow.DimensionsOf(e));
        if (_index is not null)
        {
            if (_index.TryGetValue(key, out var at))
            {
                _counts[at] += e.Count;
                return;
            }

            _index[key] = _keys.Count;
            _keys.Add(key);
            _counts.Add(e.Count);
            return;
        }

        for (var i = 0; i < _keys.Count; i++)
        {
            // Member-wise string equality: names and environments are usually the plan's own instances, so most checks
            // end at the reference.
            if (_keys[i] == key)
            {
                _counts[i] += e.Count;
                return;
            }
        }

        _keys.Add(key);
        _counts.Add(e.Count);
        if (_keys.Count > LinearLimit)
        {
            _index = _keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i);
        }
    }

    public IEnumerable<KeyValuePair<RollupKey, long>> Rows => _keys.Select((k, i) => KeyValuePair.Create(k, _counts[i]));
}
