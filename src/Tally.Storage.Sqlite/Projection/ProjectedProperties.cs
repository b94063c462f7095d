using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// The properties of one projected row, decoded on demand, so the Core engines can read projected events exactly
/// as they read parsed JSON without a dictionary per event.
/// </summary>
internal sealed class ProjectedProperties(NamePartition partition, int row) : IReadOnlyDictionary<string, string?>
{
    public string? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string?> Values => this.Select(p => p.Value);

    public int Count
    {
        get
        {
            var n = 0;
            using var e = GetEnumerator();
            while (e.MoveNext()) n++;
            return n;
        }
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        value = null;
        if (partition.Column(key) is not { } column) return false;
        if (column.Dropped) throw new ProjectionMissException(key);
        var code = column.Rows[row];
        if (code == PropertyColumn.Missing) return false;
        value = code == PropertyColumn.Null ? null : column.Value(code);
        return true;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        foreach (var (key, column) in partition.Columns)
        {
            if (column.Dropped) throw new ProjectionMissException(key);
            var code = column.Rows[row];
            if (code == PropertyColumn.Missing) continue;
            yield return new(key, code == PropertyColumn.Null ? null : column.Value(code));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
