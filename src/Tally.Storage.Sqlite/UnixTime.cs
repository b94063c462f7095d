namespace Tally.Storage.Sqlite;

/// <summary>
/// Instants are stored as unix milliseconds: integers compare and index cheaply, and every store keeps the same
/// precision. Reading back gives UTC; sub-millisecond precision and the original offset are not kept.
/// </summary>
internal static class UnixTime
{
    public static long ToMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>The roll-up day of an event: its UTC calendar date.</summary>
    public static DateOnly UtcDay(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    public static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string text) =>
        DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
