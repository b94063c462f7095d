using Microsoft.Data.Sqlite;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// Records that two ids belong to one person. A pair seen again keeps its earliest time and the kind seen then:
/// when two ids were first linked is what identity stitching needs, and replays must not move it later.
/// </summary>
internal sealed class UpsertIdentityLink : PreparedStatement
{
    // In an UPDATE every right-hand side sees the old row, so the CASE compares against the old `at`.
    private const string Sql = """
        INSERT INTO identity_links (from_id, to_user_id, kind, at)
        VALUES ($from_id, $to_user_id, $kind, $at)
        ON CONFLICT (from_id, to_user_id) DO UPDATE SET
            kind = CASE WHEN excluded.at < at THEN excluded.kind ELSE kind END,
            at = min(at, excluded.at)
        """;

    private readonly SqliteParameter _fromId, _toUserId, _kind, _at;

    public UpsertIdentityLink(SqliteConnection connection) : base(connection, Sql)
    {
        _fromId = Parameter("$from_id", SqliteType.Text);
        _toUserId = Parameter("$to_user_id", SqliteType.Text);
        _kind = Parameter("$kind", SqliteType.Text);
        _at = Parameter("$at", SqliteType.Integer);
        Prepare();
    }

    public void Execute(IdentityLink link)
    {
        _fromId.Value = link.FromId;
        _toUserId.Value = link.ToUserId;
        _kind.Value = link.Kind;
        _at.Value = UnixTime.ToMs(link.At);
        Execute();
    }
}
