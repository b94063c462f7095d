using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>
/// An aggregate-only event as a row of <c>counted_events</c>: no raw fields, only what it counts for and the dimensions
/// it is counted by (<see cref="RollupDimensions"/>). The table's
/// views add it to the roll-up and its id to <c>seen_ids</c>.
/// </summary>
internal static class CountedEventRows
{
    public const string Table = "counted_events";

    public static void Add(JsonEachRow rows, CollectedEvent e)
    {
        var json = rows.Begin();
        json.WriteString("event_id"u8, e.EventId);
        json.WriteNumber("received_at"u8, UnixTime.ToMs(e.ReceivedAt));
        json.WriteString("day"u8, UnixTime.DayText(UnixTime.UtcDay(e.Timestamp)));
        json.WriteString("name"u8, e.Name);
        json.WriteString("environment"u8, e.Environment);
        json.WriteString("source"u8, Optional.ToColumn(e.Source));
        json.WriteString("dimensions"u8, RollupDimensions.Of(e.PropertiesJson));
        json.WriteNumber("count"u8, e.Count);
        rows.End();
    }
}
