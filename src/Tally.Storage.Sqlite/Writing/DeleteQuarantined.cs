using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>Removes one quarantined event by its quarantine id.</summary>
internal sealed class DeleteQuarantined : PreparedStatement
{
    private readonly SqliteParameter _id;

    public DeleteQuarantined(SqliteConnection connection) : base(connection, "DELETE FROM quarantine WHERE id = $id")
    {
        _id = Parameter("$id", SqliteType.Text);
        Prepare();
    }

    /// <summary>True when a row was removed.</summary>
    public bool Execute(string id)
    {
        _id.Value = id;
        return Execute() == 1;
    }
}
