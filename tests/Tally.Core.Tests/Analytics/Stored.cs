using Tally.Core.Analytics;
using Tally.Core.Events;

namespace Tally.Core.Tests.Analytics;

/// <summary>Fixture events built as stored events, so that they go through the same property flattening a store uses.</summary>
internal static class Stored
{
    public static AnalyticsEvent Event(string name, DateTimeOffset at, string? session = null, string? anon = null, string? user = null, string json = "{}", long count = 1) =>
        AnalyticsEvent.From(new CollectedEvent
        {
            EventId = Guid.NewGuid().ToString("N"),
            Name = name,
            Timestamp = at,
            ReceivedAt = at,
            SessionId = session,
            AnonymousId = anon,
            UserId = user,
            PropertiesJson = json,
            Count = count,
        });

    public static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
