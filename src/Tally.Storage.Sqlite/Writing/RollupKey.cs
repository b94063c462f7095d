namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// One roll-up row's identity. <see cref="Source"/> is empty, never null, so it can be part of the key;
/// <see cref="Dimensions"/> is empty for stored raw events (<c>RollupDimensions</c>).
/// </summary>
internal readonly record struct RollupKey(DateOnly Day, string Name, string Environment, string Source, string Dimensions);
