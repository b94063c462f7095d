using System.Text.Json;
using Tally.Core.Events;
using Tally.Storage.ClickHouse.Http;
using Tally.Storage.ClickHouse.Json;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>A quarantined event as a row of <c>quarantine</c>, with its distinct reason codes beside the full reasons.</summary>
internal static class QuarantineRows
{
    public const string Table = "quarantine";

    public static void Add(JsonEachRow rows, QuarantinedEvent q)
    {
        var json = rows.Begin();
        json.WriteString("id"u8, q.Id);
        json.WriteString("event_id"u8, q.EventId);
        json.WriteString("event_name"u8, Optional.ToColumn(q.EventName));
        json.WriteString("reasons"u8, JsonSerializer.Serialize(q.Reasons, StorageJsonContext.Default.IReadOnlyListViolation));
        json.WriteStartArray("reason_codes"u8);
        // Distinct: an event with two violations of one code counts once in that code's group.
        foreach (var code in q.Reasons.Select(r => r.Code).Distinct(StringComparer.Ordinal))
        {
            json.WriteStringValue(code);
        }

        json.WriteEndArray();
        json.WriteString("payload"u8, q.PayloadJson);
        json.WriteString("source"u8, q.Source);
        json.WriteNumber("received_at"u8, UnixTime.ToMs(q.ReceivedAt));
        json.WriteString("request_id"u8, Optional.ToColumn(q.RequestId));
        json.WriteString("environment"u8, q.Environment);
        rows.End();
    }
}
