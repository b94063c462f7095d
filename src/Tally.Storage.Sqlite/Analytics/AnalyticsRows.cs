using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Tally.Core.Analytics;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Analytics;

/// <summary>
/// Reads what the analytics engines need from the row store: the events of a slice as <see cref="AnalyticsEvent"/>s,
/// streamed row by row (an engine keeps only what it uses of each), and the identity links. The name list and the
/// time span are bound parameters in the shape <c>name IN (…) AND ts BETWEEN …</c>, so SQLite walks the
/// <c>(name, ts)</c> index once per name.
/// </summary>
internal static class AnalyticsRows
{
    private static readonly IReadOnlyDictionary<string, string?> NoProperties = new Dictionary<string, string?>();

    public static IEnumerable<AnalyticsEvent> Events(SqliteConnection connection, SqliteTransaction transaction, EventSlice slice, string environment, CancellationToken ct)
    {
        if (slice.IsEmpty) yield break;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, ts, session_id, anonymous_id, user_id, count, properties FROM events WHERE "
            + Where(command, slice, environment);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            yield return new AnalyticsEvent(
                reader.GetString(0),
                reader.GetInt64(1),
                NullableString(reader, 2),
                NullableString(reader, 3),
                NullableString(reader, 4),
                PropertyFlattener.Flatten(reader.GetString(6)),
                reader.GetInt64(5));
        }
    }

    /// <summary>
    /// Occurrences per bucket of <paramref name="bucketMs"/> (an hour or a UTC day), summed by SQLite: counts need
    /// neither actors nor properties, so one pseudo-event per bucket stands for all of its events. It is placed at
    /// the bucket start, or at the slice start for the first, partly covered bucket, so it falls in the same bucket
    /// and inside the range.
    /// </summary>
    public static IEnumerable<AnalyticsEvent> BucketTotals(SqliteConnection connection, SqliteTransaction transaction, EventSlice slice, string name, long bucketMs, string environment, CancellationToken ct)
    {
        if (slice.IsEmpty) yield break;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Floor division that is also right before 1970, where % is negative.
        command.CommandText = "SELECT ts - (((ts % $bucket) + $bucket) % $bucket) AS b, sum(count) FROM events WHERE "
            + Where(command, slice, environment) + " GROUP BY b";
        command.Parameters.AddWithValue("$bucket", bucketMs);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            yield return new AnalyticsEvent(name, Math.Max(reader.GetInt64(0), slice.FromMs), null, null, null, NoProperties, reader.GetInt64(1));
        }
    }

    /// <summary>
    /// The slice's aggregate-only events as <see cref="RollupEvents"/> records: the roll-up rows with dimensions of the
    /// slice's names and days, summed over sources, those whose day start lies in the slice.
    /// </summary>
    public static IEnumerable<AnalyticsEvent> Rollups(SqliteConnection connection, SqliteTransaction transaction, EventSlice slice, string environment, CancellationToken ct)
    {
        if (slice.IsEmpty) yield break;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("SELECT day, name, dimensions, sum(count) FROM rollups_daily WHERE ");
        if (slice.Names is { } names)
        {
            sql.Append("name IN (");
            for (var i = 0; i < names.Count; i++)
            {
                var p = "$n" + i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "" : ", ").Append(p);
                command.Parameters.AddWithValue(p, names[i]);
            }

            sql.Append(") AND ");
        }

        sql.Append("day >= $from AND day <= $to AND environment = $env AND dimensions != '' GROUP BY day, name, dimensions ORDER BY day, name, dimensions");
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("$from", UnixTime.DayText(Day(slice.FromMs)));
        command.Parameters.AddWithValue("$to", UnixTime.DayText(Day(slice.ToMs)));
        command.Parameters.AddWithValue("$env", environment);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            var e = RollupEvents.Of(reader.GetString(1), UnixTime.ParseDay(reader.GetString(0)), reader.GetString(2), reader.GetInt64(3));
            if (e.TimestampMs >= slice.FromMs && e.TimestampMs <= slice.ToMs) yield return e;
        }
    }

    /// <summary>The UTC day of an instant, clamped to the days DateTimeOffset can hold (slices may reach "forever").</summary>
    private static DateOnly Day(long ms)
    {
        var clamped = Math.Clamp(ms, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds());
        return UnixTime.UtcDay(DateTimeOffset.FromUnixTimeMilliseconds(clamped));
    }

    public static List<IdentityLink> Links(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT from_id, to_user_id, kind, at FROM identity_links";
        var links = new List<IdentityLink>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            links.Add(new IdentityLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixTime.FromMs(reader.GetInt64(3))));
        }

        return links;
    }

    private static string Where(SqliteCommand command, EventSlice slice, string environment)
    {
        var sql = new StringBuilder();
        if (slice.Names is { } names)
        {
            sql.Append("name IN (");
            for (var i = 0; i < names.Count; i++)
            {
                var p = "$n" + i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "" : ", ").Append(p);
                command.Parameters.AddWithValue(p, names[i]);
            }

            sql.Append(") AND ");
        }

        sql.Append("ts >= $from AND ts <= $to AND environment = $env");
        command.Parameters.AddWithValue("$from", slice.FromMs);
        command.Parameters.AddWithValue("$to", slice.ToMs);
        command.Parameters.AddWithValue("$env", environment);
        return sql.ToString();
    }

    private static string? NullableString(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
