using System.Globalization;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// Instants are stored as unix milliseconds in Int64 columns: ClickHouse 18.16 has no DateTime64, and the SQLite store
/// keeps the same precision. Reading back gives UTC; sub-millisecond precision and the original offset are not kept.
/// </summary>
internal static class UnixTime
{
    public static long ToMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>The partition and roll-up day of an event: its UTC calendar date.</summary>
    public static DateOnly UtcDay(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>'YYYY-MM-DD', the text form a ClickHouse Date is written and read in.</summary>
    public static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
