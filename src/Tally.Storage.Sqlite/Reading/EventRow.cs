using Microsoft.Data.Sqlite;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Reading;

/// <summary>The column list of a raw event and how a row of it becomes a <see cref="CollectedEvent"/>.</summary>
internal static class EventRow
{
    public const string Columns = """
        event_id, name, type, ts, received_at, original_timestamp, anonymous_id, user_id,
        session_id, environment, source, request_id, count, properties, previous_id
        """;

    public static CollectedEvent Read(SqliteDataReader r) => new()
    {
        EventId = r.GetString(0),
        Name = r.GetString(1),
        Type = r.GetString(2),
        Timestamp = UnixTime.FromMs(r.GetInt64(3)),
        ReceivedAt = UnixTime.FromMs(r.GetInt64(4)),
        OriginalTimestamp = StringOrNull(r, 5),
        AnonymousId = StringOrNull(r, 6),
        UserId = StringOrNull(r, 7),
        SessionId = StringOrNull(r, 8),
        Environment = r.GetString(9),
        Source = StringOrNull(r, 10),
        RequestId = StringOrNull(r, 11),
        Count = r.GetInt64(12),
        PropertiesJson = r.GetString(13),
        PreviousId = StringOrNull(r, 14),
    };

    internal static string? StringOrNull(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
