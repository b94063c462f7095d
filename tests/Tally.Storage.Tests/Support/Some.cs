using Tally.Core.Events;

namespace Tally.Storage.Tests.Support;

/// <summary>
/// Random but valid test data. Instants have millisecond precision and a zero offset, the precision every store keeps,
/// so a read-back record equals the one written.
/// </summary>
internal static class Some
{
    private static readonly DateTimeOffset Epoch = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["order_placed", "page_viewed", "signup_completed", "search_performed"];
    private static readonly string[] Sources = ["web", "ios", "android", "segment:/v1/batch"];

    public static string Id(string prefix = "evt") => $"{prefix}_{Guid.NewGuid():N}";

    public static string Name() => Names[Random.Shared.Next(Names.Length)];

    /// <summary>A moment in the 60 days after 1 March 2025, to the millisecond.</summary>
    public static DateTimeOffset Instant() => Epoch.AddMilliseconds(Random.Shared.NextInt64(60L * 24 * 3600 * 1000));

    /// <summary>An event with every optional field filled in.</summary>
    public static CollectedEvent Event(string? name = null, DateTimeOffset? at = null)
    {
        var timestamp = at ?? Instant();
        return new CollectedEvent
        {
            EventId = Id(),
            Name = name ?? Name(),
            Type = "track",
            Timestamp = timestamp,
            ReceivedAt = timestamp.AddMilliseconds(Random.Shared.Next(1, 5000)),
            OriginalTimestamp = timestamp.AddYears(1).ToString("O"),
            AnonymousId = Id("anon"),
            UserId = Id("user"),
            SessionId = Id("session"),
            Environment = "production",
            Source = Sources[Random.Shared.Next(Sources.Length)],
            RequestId = Id("req"),
            Count = 1,
            PropertiesJson = $$"""{"amount":{{Random.Shared.Next(1, 1000)}},"currency":"EUR","note":"ünïcødé \"quoted\""}""",
            PreviousId = null,
        };
    }

    /// <summary>An event with only the required fields; every optional one is null or its default.</summary>
    public static CollectedEvent MinimalEvent(string? name = null, DateTimeOffset? at = null)
    {
        var timestamp = at ?? Instant();
        return new CollectedEvent { EventId = Id(), Name = name ?? Name(), Timestamp = timestamp, ReceivedAt = timestamp };
    }

    /// <summary>Events (of one name, when given) at random moments over two months.</summary>
    public static IReadOnlyList<CollectedEvent> Events(int count, string? name = null) =>
        Enumerable.Range(0, count).Select(_ => Event(name)).ToList();

    /// <summary>A quarantined event failing with one violation per code given (one unknown_event when none).</summary>
    public static QuarantinedEvent Quarantined(params string[] reasonCodes)
    {
        var codes = reasonCodes.Length == 0 ? [ViolationCodes.UnknownEvent] : reasonCodes;
        return new QuarantinedEvent
        {
            Id = Id("q"),
            EventId = Id(),
            EventName = Name(),
            Reasons = codes.Select((code, i) => new Violation(code, $"{code} number {i}", i % 2 == 0 ? $"prop_{i}" : null)).ToList(),
            PayloadJson = $$$"""{"event":"x","properties":{"n":{{{Random.Shared.Next(100)}}}}}""",
            Source = "segment:/v1/batch",
            ReceivedAt = Instant(),
            RequestId = Id("req"),
            Environment = "staging",
        };
    }

    public static IdentityLink Link(string kind = IdentityLink.Identify, DateTimeOffset? at = null) =>
        new(Id("anon"), Id("user"), kind, at ?? Instant());
}
