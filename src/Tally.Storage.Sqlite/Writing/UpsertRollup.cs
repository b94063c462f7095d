using Microsoft.Data.Sqlite;

namespace Tally.Storage.Sqlite.Writing;

/// <summary>Adds a count to one day's roll-up row, creating it when it is the first of its day.</summary>
internal sealed class UpsertRollup : PreparedStatement
{
    private const string Sql = """
        INSERT INTO rollups_daily (day, name, environment, source, dimensions, count)
        VALUES ($day, $name, $environment, $source, $dimensions, $count)
        ON CONFLICT (day, name, environment, source, dimensions) DO UPDATE SET count = count + excluded.count
        """;

    private readonly SqliteParameter _day, _name, _environment, _source, _dimensions, _count;

    public UpsertRollup(SqliteConnection connection) : base(connection, Sql)
    {
        _day = Parameter("$day", SqliteType.Text);
        _name = Parameter("$name", SqliteType.Text);
        _environment = Parameter("$environment", SqliteType.Text);
        _source = Parameter("$source", SqliteType.Text);
        _dimensions = Parameter("$dimensions", SqliteType.Text);
        _count = Parameter("$count", SqliteType.Integer);
        Prepare();
    }

    public void Execute(RollupKey key, long count)
    {
        _day.Value = UnixTime.DayText(key.Day);
        _name.Value = key.Name;
        _environment.Value = key.Environment;
        _source.Value = key.Source;
        _dimensions.Value = key.Dimensions;
        _count.Value = count;
        Execute();
    }
}
