namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// Session, anonymous and user ids as int codes, one code space for all three: the engines compare ids as text
/// (an anonymous id equal to a user id is the same actor), so equal text must get the same code.
/// </summary>
internal sealed class IdInterner
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];

    public int Count => _ids.Count;

    /// <summary>The code of <paramref name="id"/>, assigning the next one on first sight; -1 for null.</summary>
    public int Intern(string? id)
    {
        if (id is null) return -1;
        if (_codes.TryGetValue(id, out var code)) return code;
        code = _ids.Count;
        _codes[id] = code;
        _ids.Add(id);
        return code;
    }

    /// <summary>The code of an id already seen; -1 otherwise.</summary>
    public int Find(string id) => _codes.TryGetValue(id, out var code) ? code : -1;

    public string? Id(int code) => code < 0 ? null : _ids[code];
}
