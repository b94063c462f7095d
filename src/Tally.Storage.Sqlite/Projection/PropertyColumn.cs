namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// One flattened property of one event name, dictionary-encoded: a code per row, <see cref="Missing"/> when the
/// row does not carry the key, <see cref="Null"/> for JSON null, else <see cref="FirstValue"/> + the index of its
/// text. A filter compares one int per row. A property with nearly a value per row or per actor (request ids, the
/// session id repeated in properties, free text) gains nothing from a dictionary and would hold every string in
/// memory, so past a few thousand values, when more than one row in <see cref="DistinctShare"/> brings a new value,
/// it is dropped: queries that touch it go to the row store (<see cref="Dropped"/>). The properties plans filter,
/// group and credit by (intent, source, rating, status) have a handful of values and are always kept.
/// </summary>
internal sealed class PropertyColumn
{
    public const int Missing = 0;
    public const int Null = 1;
    public const int FirstValue = 2;

    /// <summary>Distinct values a column may hold whatever its row count before it can be dropped.</summary>
    public const int DefaultAlwaysKept = 16_384;

    /// <summary>Past <see cref="DefaultAlwaysKept"/>, a column is dropped once more than one row in this many has a value of its own.</summary>
    public const int DistinctShare = 8;

    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];
    private int[] _rows;

    private readonly int _alwaysKept;

    public PropertyColumn(int capacity, int alwaysKept)
    {
        _rows = new int[capacity];
        _alwaysKept = alwaysKept;
    }

    public bool Dropped { get; private set; }

    /// <summary>The per-row codes (valid up to the partition's length); empty once dropped.</summary>
    public int[] Rows => _rows;

    public int ValueCount => _values.Count;

    public string Value(int code) => _values[code - FirstValue];

    /// <summary>The code of <paramref name="text"/>, or -1 when no row holds it (a filter on it matches nothing).</summary>
    public int CodeOf(string text) => _codes.TryGetValue(text, out var i) ? i + FirstValue : -1;

    public void Grow(int capacity)
    {
        if (!Dropped && capacity > _rows.Length) Array.Resize(ref _rows, capacity);
    }

    public void SetNull(int row)
    {
        if (!Dropped) _rows[row] = Null;
    }

    public void Set(int row, ReadOnlySpan<char> value, int partitionRows)
    {
        if (Dropped) return;
        var lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(value, out var i))
        {
            i = _values.Count;
            var text = value.ToString();
            _codes[text] = i;
            _values.Add(text);
            if (_values.Count > _alwaysKept && _values.Count > partitionRows / DistinctShare)
            {
                Drop();
                return;
            }
        }
        _rows[row] = i + FirstValue;
    }

    private void Drop()
    {
        Dropped = true;
        _rows = [];
        _codes.Clear();
        _values.Clear();
        _codes.TrimExcess();
        _values.TrimExcess();
    }
}
