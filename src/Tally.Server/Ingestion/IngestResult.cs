namespace Tally.Server.Ingestion;

/// <summary>The answer to an ingest request: Segment clients read <c>success</c>; the counts are for people and tests.</summary>
public sealed record IngestResult(bool Success, int Accepted, int Duplicates, int Quarantined, int Dropped, IReadOnlyList<string>? Warnings = null);
