namespace Tally.Storage.Sqlite.Schema;

/// <summary>One numbered schema script, e.g. <c>001_initial.sql</c> is version 1.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
