using System.Text.Json;
using Tally.Core.Events;
using Tally.Storage.ClickHouse.Json;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Reading;

/// <summary>The column list of a quarantined event and how a row of it becomes a <see cref="QuarantinedEvent"/>.</summary>
internal static class QuarantineRow
{
    public const string Columns = "id, event_id, event_name, reasons, payload, source, received_at, request_id, environment";

    public const int ColumnCount = 9;

    /// <summary>Reads the quarantine columns starting at <paramref name="first"/>, so a query may put other columns before them.</summary>
    public static QuarantinedEvent Read(string[] f, int first = 0) => new()
    {
        Id = f[first],
        EventId = f[first + 1],
        EventName = Optional.FromColumn(f[first + 2]),
        Reasons = JsonSerializer.Deserialize(f[first + 3], StorageJsonContext.Default.ViolationArray) ?? [],
        PayloadJson = f[first + 4],
        Source = f[first + 5],
        ReceivedAt = UnixTime.FromMs(TabSeparated.Int64(f[first + 6])),
        RequestId = Optional.FromColumn(f[first + 7]),
        Environment = f[first + 8],
    };
}
