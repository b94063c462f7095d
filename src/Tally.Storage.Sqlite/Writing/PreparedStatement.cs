using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>
/// One SQL statement compiled once on the writer connection and executed for every row with new parameter values:
/// the hot path neither parses SQL nor allocates parameters per row.
/// </summary>
internal abstract class PreparedStatement : IDisposable
{
    private readonly SqliteCommand _command;

    protected PreparedStatement(SqliteConnection connection, string sql)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
    }

    /// <summary>Joins the batch's transaction; the compiled statement is kept.</summary>
    public void Enlist(SqliteTransaction? transaction) => _command.Transaction = transaction;

    public void Dispose() => _command.Dispose();

    protected SqliteParameter Parameter(string name, SqliteType type) => _command.Parameters.Add(name, type);

    /// <summary>Compiles the statement; call after every parameter is declared.</summary>
    protected void Prepare() => _command.Prepare();

    /// <summary>Runs the statement; returns how many rows it changed (0 when ON CONFLICT DO NOTHING skipped it).</summary>
    protected int Execute() => _command.ExecuteNonQuery();

    protected static object OrNull(string? value) => value is null ? DBNull.Value : value;
}
