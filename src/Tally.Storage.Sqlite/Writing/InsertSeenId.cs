using Microsoft.Data.Sqlite;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Remembers the id of an aggregate-only event, which has no raw row, so a retry is not counted twice (also after a
/// restart: <see cref="Dedup.KnownEventIds"/> loads these ids with the raw events' ones). The caller has checked the id.
/// </summary>
internal sealed class InsertSeenId : PreparedStatement
{
    private const string Sql = """
        INSERT INTO seen_ids (event_id, received_at)
        VALUES ($event_id, $received_at)
        """;

    private readonly SqliteParameter _eventId, _receivedAt;

    public InsertSeenId(SqliteConnection connection) : base(connection, Sql)
    {
        _eventId = Parameter("$event_id", SqliteType.Text);
        _receivedAt = Parameter("$received_at", SqliteType.Integer);
        Prepare();
    }

    public void Execute(CollectedEvent e)
    {
        _eventId.Value = e.EventId;
        _receivedAt.Value = UnixTime.ToMs(e.ReceivedAt);
        Execute();
    }
}
