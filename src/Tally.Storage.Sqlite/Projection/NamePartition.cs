namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// The projected events of one name in one environment, column by column in arrival order: a query for a few
/// names reads only their partitions (as the <c>(name, ts)</c> index did), and a funnel step is a pass over
/// a timestamp array, three id-code arrays and a few property-code arrays.
/// </summary>
internal sealed class NamePartition(string name, int alwaysKept)
{
    private const int InitialCapacity = 256;

    private readonly Dictionary<string, PropertyColumn> _columns = new(StringComparer.Ordinal);
    private long[] _ts = new long[InitialCapacity];
    private long[] _count = new long[InitialCapacity];
    private int[] _session = new int[InitialCapacity];
    private int[] _anonymous = new int[InitialCapacity];
    private int[] _user = new int[InitialCapacity];

    public string Name { get; } = name;

    public int Length { get; private set; }

    public long[] Timestamps => _ts;

    public long[] Counts => _count;

    public int[] Sessions => _session;

    public int[] Anonymous => _anonymous;

    public int[] Users => _user;

    public IReadOnlyDictionary<string, PropertyColumn> Columns => _columns;

    /// <summary>The column of <paramref name="key"/>; null when no event of this name has carried it.</summary>
    public PropertyColumn? Column(string key) => _columns.TryGetValue(key, out var c) ? c : null;

    /// <summary>Appends a row without properties and returns its index; <see cref="Set"/> fills them in.</summary>
    public int Add(long ts, long count, int session, int anonymous, int user)
    {
        if (Length == _ts.Length) Grow(_ts.Length * 2);
        var row = Length;
        _ts[row] = ts;
        _count[row] = count;
        _session[row] = session;
        _anonymous[row] = anonymous;
        _user[row] = user;
        Length++;
        return row;
    }

    public void Set(int row, ReadOnlySpan<char> key, ReadOnlySpan<char> value) => Column(key).Set(row, value, Length);

    public void SetNull(int row, ReadOnlySpan<char> key) => Column(key).SetNull(row);

    private PropertyColumn Column(ReadOnlySpan<char> key)
    {
        var lookup = _columns.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(key, out var column)) _columns[key.ToString()] = column = new PropertyColumn(_ts.Length, alwaysKept);
        return column;
    }

    /// <summary>Approximate bytes held by the arrays (not the value dictionaries).</summary>
    public long ArrayBytes => (long)_ts.Length * (8 + 8 + 4 + 4 + 4) + _columns.Values.Sum(c => (long)c.Rows.Length * 4);

    private void Grow(int capacity)
    {
        Array.Resize(ref _ts, capacity);
        Array.Resize(ref _count, capacity);
        Array.Resize(ref _session, capacity);
        Array.Resize(ref _anonymous, capacity);
        Array.Resize(ref _user, capacity);
        foreach (var c in _columns.Values) c.Grow(capacity);
    }
}
