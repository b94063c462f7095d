using Tally.Core.Events;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Reading;

/// <summary>The column list of a raw event and how a row of it becomes a <see cref="CollectedEvent"/>.</summary>
internal static class EventRow
{
    public const string Columns = """
        event_id, name, type, ts, received_at, original_timestamp, anonymous_id, user_id,
        session_id, environment, source, request_id, count, properties, previous_id
        """;

    public const int ColumnCount = 15;

    public static CollectedEvent Read(string[] f) => new()
    {
        EventId = f[0],
        Name = f[1],
        Type = f[2],
        Timestamp = UnixTime.FromMs(TabSeparated.Int64(f[3])),
        ReceivedAt = UnixTime.FromMs(TabSeparated.Int64(f[4])),
        OriginalTimestamp = Optional.FromColumn(f[5]),
        AnonymousId = Optional.FromColumn(f[6]),
        UserId = Optional.FromColumn(f[7]),
        SessionId = Optional.FromColumn(f[8]),
        Environment = f[9],
        Source = Optional.FromColumn(f[10]),
        RequestId = Optional.FromColumn(f[11]),
        Count = TabSeparated.Int64(f[12]),
        PropertiesJson = f[13],
        PreviousId = Optional.FromColumn(f[14]),
    };
}
