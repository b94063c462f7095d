namespace Tally.Storage.Sqlite.Projection;

/// <summary>An event filter compiled for one partition: its index among the query's filters and the (column, value code) pairs a row must hold.</summary>
internal sealed record CompiledFilter(int Bit, (int[] Rows, int Code)[] Conditions);
