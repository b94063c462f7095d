namespace Tally.Storage.Sqlite.Writing;

/// <summary>One roll-up row's identity. <see cref="Source"/> is empty, never null, so it can be part of the key.</summary>
internal readonly record struct RollupKey(DateOnly Day, string Name, string Environment, string Source);
