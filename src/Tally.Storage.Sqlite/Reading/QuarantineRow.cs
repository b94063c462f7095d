using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tally.Core.Events;
using Tally.Storage.Sqlite.Json;

namespace Tally.Storage.Sqlite.Reading;

/// <summary>The column list of a quarantined event and how a row of it becomes a <see cref="QuarantinedEvent"/>.</summary>
internal static class QuarantineRow
{
    public const string Columns = "id, event_id, event_name, reasons, payload, source, received_at, request_id, environment";

    /// <summary>Reads the quarantine columns starting at <paramref name="first"/>, so a query may put other columns before them.</summary>
    public static QuarantinedEvent Read(SqliteDataReader r, int first = 0) => new()
    {
        Id = r.GetString(first),
        EventId = r.GetString(first + 1),
        EventName = EventRow.StringOrNull(r, first + 2),
        Reasons = JsonSerializer.Deserialize(r.GetString(first + 3), StorageJsonContext.Default.ViolationArray) ?? [],
        PayloadJson = r.GetString(first + 4),
        Source = r.GetString(first + 5),
        ReceivedAt = UnixTime.FromMs(r.GetInt64(first + 6)),
        RequestId = EventRow.StringOrNull(r, first + 7),
        Environment = r.GetString(first + 8),
    };
}
