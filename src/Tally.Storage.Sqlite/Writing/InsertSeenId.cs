using Microsoft.Data.Sqlite;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Remembers the id of an aggregate-only event, which has no raw row, so a retry is not counted twice. An id that
/// is already stored as a raw event (the plan changed between the two sends) is a duplicate too.
/// </summary>
internal sealed class InsertSeenId : PreparedStatement
{
    private const string Sql = """
        INSERT INTO seen_ids (event_id, received_at)
        SELECT $event_id, $received_at
        WHERE NOT EXISTS (SELECT 1 FROM events WHERE event_id = $event_id)
        ON CONFLICT (event_id) DO NOTHING
        """;

    private readonly SqliteParameter _eventId, _receivedAt;

    public InsertSeenId(SqliteConnection connection) : base(connection, Sql)
    {
        _eventId = Parameter("$event_id", SqliteType.Text);
        _receivedAt = Parameter("$received_at", SqliteType.Integer);
        Prepare();
    }

    /// <summary>True when the id was new.</summary>
    public bool Execute(CollectedEvent e)
    {
        _eventId.Value = e.EventId;
        _receivedAt.Value = UnixTime.ToMs(e.ReceivedAt);
        return Execute() == 1;
    }
}
