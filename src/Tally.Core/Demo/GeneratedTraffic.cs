namespace Tally.Core.Demo;

/// <summary>A run of generated traffic: the events in time order and the raw personal values planted in them.</summary>
/// <param name="PlantedValues">Raw personal data put into events (emails, phone numbers, addresses, IPs, free text): none of it may be stored as sent.</param>
public sealed record GeneratedTraffic(IReadOnlyList<GeneratedEvent> Events, IReadOnlySet<string> PlantedValues, int Flows)
{
    public int Count(EventIntent intent) => Events.Count(e => e.Intent == intent);
}
