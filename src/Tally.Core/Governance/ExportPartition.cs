using System.Globalization;

namespace Tally.Core.Governance;

/// <summary>
/// The Hive-style partition an event belongs to: <c>events/env=ENV/dt=YYYY-MM-DD/hr=HH/</c> (seed 003's S3 layout,
/// which Athena's partition projection and ClickHouse's globs read directly).
/// </summary>
public readonly record struct ExportPartition(string Environment, DateOnly Day, int Hour)
{
    public static ExportPartition Of(string environment, DateTimeOffset ts)
    {
        var utc = ts.UtcDateTime;
        return new ExportPartition(environment, DateOnly.FromDateTime(utc), utc.Hour);
    }

    public string RelativeDirectory =>
        Path.Combine("events", $"env={Environment}", $"dt={Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", $"hr={Hour:D2}");

    public static string PartFileName(int index) => $"part-{index:D4}.json.gz";

    public DateTimeOffset Start => new(Day.ToDateTime(new TimeOnly(Hour, 0)), TimeSpan.Zero);
}
