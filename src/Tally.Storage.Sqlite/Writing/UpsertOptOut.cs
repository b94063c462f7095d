using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Sets an actor's opt-out state unless a later one is stored: requests can arrive out of order, and the one the
/// person made last must win. On a tie the later write wins.
/// </summary>
internal sealed class UpsertOptOut : PreparedStatement
{
    private const string Sql = """
        INSERT INTO opt_outs (actor_id, opted_out, at)
        VALUES ($actor_id, $opted_out, $at)
        ON CONFLICT (actor_id) DO UPDATE SET opted_out = excluded.opted_out, at = excluded.at
        WHERE excluded.at >= opt_outs.at
        """;

    private readonly SqliteParameter _actorId, _optedOut, _at;

    public UpsertOptOut(SqliteConnection connection) : base(connection, Sql)
    {
        _actorId = Parameter("$actor_id", SqliteType.Text);
        _optedOut = Parameter("$opted_out", SqliteType.Integer);
        _at = Parameter("$at", SqliteType.Integer);
        Prepare();
    }

    public void Execute(string actorId, bool optedOut, DateTimeOffset at)
    {
        _actorId.Value = actorId;
        _optedOut.Value = optedOut ? 1 : 0;
        _at.Value = UnixTime.ToMs(at);
        Execute();
    }
}
