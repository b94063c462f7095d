namespace Tally.Core.Analytics;

/// <summary>Occurrences per UTC day or hour in a range, of one event name or of every event.</summary>
public sealed record CountsQuery(string? Event, TimeRange Range, CountGranularity Granularity = CountGranularity.Day);
