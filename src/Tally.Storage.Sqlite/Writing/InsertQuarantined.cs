using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tally.Core.Events;
using Tally.Storage.Sqlite.Json;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Keeps a quarantined event unless one with the same event id (a retry) or the same quarantine id is kept already.
/// </summary>
internal sealed class InsertQuarantined : PreparedStatement
{
    // No conflict target: a clash on either unique column skips the row instead of failing the batch.
    private const string Sql = """
        INSERT INTO quarantine (id, event_id, event_name, reasons, payload, source, received_at, request_id, environment)
        VALUES ($id, $event_id, $event_name, $reasons, $payload, $source, $received_at, $request_id, $environment)
        ON CONFLICT DO NOTHING
        """;

    private readonly SqliteParameter _id, _eventId, _eventName, _reasons, _payload, _source, _receivedAt, _requestId, _environment;

    public InsertQuarantined(SqliteConnection connection) : base(connection, Sql)
    {
        _id = Parameter("$id", SqliteType.Text);
        _eventId = Parameter("$event_id", SqliteType.Text);
        _eventName = Parameter("$event_name", SqliteType.Text);
        _reasons = Parameter("$reasons", SqliteType.Text);
        _payload = Parameter("$payload", SqliteType.Text);
        _source = Parameter("$source", SqliteType.Text);
        _receivedAt = Parameter("$received_at", SqliteType.Integer);
        _requestId = Parameter("$request_id", SqliteType.Text);
        _environment = Parameter("$environment", SqliteType.Text);
        Prepare();
    }

    /// <summary>True when the row was new.</summary>
    public bool Execute(QuarantinedEvent q)
    {
        _id.Value = q.Id;
        _eventId.Value = q.EventId;
        _eventName.Value = OrNull(q.EventName);
        _reasons.Value = JsonSerializer.Serialize(q.Reasons, StorageJsonContext.Default.IReadOnlyListViolation);
        _payload.Value = q.PayloadJson;
        _source.Value = q.Source;
        _receivedAt.Value = UnixTime.ToMs(q.ReceivedAt);
        _requestId.Value = OrNull(q.RequestId);
        _environment.Value = q.Environment;
        return Execute() == 1;
    }
}
