namespace Tally.Server.Ingestion;

/// <summary>A request-level problem: answered with <see cref="Status"/> and a JSON body naming it.</summary>
public sealed record IngestError(int Status, string Code, string Message);
