namespace Tally.Storage.ClickHouse.Schema;

/// <summary>One numbered schema script, e.g. <c>001_initial.sql</c> is version 1, split into its statements.</summary>
internal sealed record Migration(int Version, string Name, IReadOnlyList<string> Statements);
