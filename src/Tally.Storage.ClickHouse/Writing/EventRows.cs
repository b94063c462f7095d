using Tally.Core.Events;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>A raw event as a JSONEachRow row of the <c>events</c> table.</summary>
internal static class EventRows
{
    public const string Table = "events";

    public static void Add(JsonEachRow rows, CollectedEvent e)
    {
        var json = rows.Begin();
        json.WriteString("event_id"u8, e.EventId);
        json.WriteString("name"u8, e.Name);
        json.WriteString("type"u8, e.Type);
        json.WriteNumber("ts"u8, UnixTime.ToMs(e.Timestamp));
        json.WriteString("day"u8, UnixTime.DayText(UnixTime.UtcDay(e.Timestamp)));
        json.WriteNumber("received_at"u8, UnixTime.ToMs(e.ReceivedAt));
        json.WriteString("original_timestamp"u8, Optional.ToColumn(e.OriginalTimestamp));
        json.WriteString("anonymous_id"u8, Optional.ToColumn(e.AnonymousId));
        json.WriteString("user_id"u8, Optional.ToColumn(e.UserId));
        json.WriteString("session_id"u8, Optional.ToColumn(e.SessionId));
        json.WriteString("environment"u8, e.Environment);
        json.WriteString("source"u8, Optional.ToColumn(e.Source));
        json.WriteString("request_id"u8, Optional.ToColumn(e.RequestId));
        json.WriteNumber("count"u8, e.Count);
        // The properties are kept as the JSON text they arrived as, in a String column.
        json.WriteString("properties"u8, e.PropertiesJson);
        json.WriteString("previous_id"u8, Optional.ToColumn(e.PreviousId));
        rows.End();
    }
}
