using Microsoft.Data.Sqlite;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>Inserts one raw event unless its id is stored already, as a raw row or as a counted aggregate-only id.</summary>
internal sealed class InsertEvent : PreparedStatement
{
    private const string Sql = """
        INSERT INTO events (event_id, name, type, ts, received_at, original_timestamp, anonymous_id, user_id,
                            session_id, environment, source, request_id, count, properties, previous_id)
        SELECT $event_id, $name, $type, $ts, $received_at, $original_timestamp, $anonymous_id, $user_id,
               $session_id, $environment, $source, $request_id, $count, $properties, $previous_id
        WHERE NOT EXISTS (SELECT 1 FROM seen_ids WHERE event_id = $event_id)
        ON CONFLICT (event_id) DO NOTHING
        """;

    private readonly SqliteParameter _eventId, _name, _type, _ts, _receivedAt, _originalTimestamp, _anonymousId, _userId,
        _sessionId, _environment, _source, _requestId, _count, _properties, _previousId;

    public InsertEvent(SqliteConnection connection) : base(connection, Sql)
    {
        _eventId = Parameter("$event_id", SqliteType.Text);
        _name = Parameter("$name", SqliteType.Text);
        _type = Parameter("$type", SqliteType.Text);
        _ts = Parameter("$ts", SqliteType.Integer);
        _receivedAt = Parameter("$received_at", SqliteType.Integer);
        _originalTimestamp = Parameter("$original_timestamp", SqliteType.Text);
        _anonymousId = Parameter("$anonymous_id", SqliteType.Text);
        _userId = Parameter("$user_id", SqliteType.Text);
        _sessionId = Parameter("$session_id", SqliteType.Text);
        _environment = Parameter("$environment", SqliteType.Text);
        _source = Parameter("$source", SqliteType.Text);
        _requestId = Parameter("$request_id", SqliteType.Text);
        _count = Parameter("$count", SqliteType.Integer);
        _properties = Parameter("$properties", SqliteType.Text);
        _previousId = Parameter("$previous_id", SqliteType.Text);
        Prepare();
    }

    /// <summary>True when the event was new and is now stored.</summary>
    public bool Execute(CollectedEvent e)
    {
        _eventId.Value = e.EventId;
        _name.Value = e.Name;
        _type.Value = e.Type;
        _ts.Value = UnixTime.ToMs(e.Timestamp);
        _receivedAt.Value = UnixTime.ToMs(e.ReceivedAt);
        _originalTimestamp.Value = OrNull(e.OriginalTimestamp);
        _anonymousId.Value = OrNull(e.AnonymousId);
        _userId.Value = OrNull(e.UserId);
        _sessionId.Value = OrNull(e.SessionId);
        _environment.Value = e.Environment;
        _source.Value = OrNull(e.Source);
        _requestId.Value = OrNull(e.RequestId);
        _count.Value = e.Count;
        _properties.Value = e.PropertiesJson;
        _previousId.Value = OrNull(e.PreviousId);
        return Execute() == 1;
    }
}
