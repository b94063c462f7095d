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

    /// <summary>Monday 2 and Tuesday 3 March 2026: the range the seed plans' hand-written fixtures cover.</summary>
    public static readonly TimeRange TwoDays = TimeRange.Days(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 4));

    /// <summary>Day n of those fixtures (day 1 = Monday 2 March 2026) at the given hour, UTC.</summary>
    public static DateTimeOffset D(int n, int hour = 9) => Utc(2026, 3, 2, hour).AddDays(n - 1);

    /// <summary>A KPI's groups as (key, numerator, denominator), for comparing with hand-counted tuples.</summary>
    public static (string, long?, long?)[] GroupCounts(KpiResult r) => r.Groups.Select(g => (g.Key, g.Numerator, g.Denominator)).ToArray();
}
