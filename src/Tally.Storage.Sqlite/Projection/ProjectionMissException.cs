namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// A query touched a property the projection does not hold (<see cref="PropertyColumn.Dropped"/>); it is answered
/// from the row store instead. Never leaves the SQLite store.
/// </summary>
internal sealed class ProjectionMissException(string key) : Exception($"the projection does not hold property '{key}'")
{
    public string Key { get; } = key;
}
