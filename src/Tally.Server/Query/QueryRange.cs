using Tally.Core.Analytics;
using Tally.Core.Pipeline;

namespace Tally.Server.Query;

/// <summary>
/// The <c>from</c>/<c>to</c> of every query: ISO 8601 instants (<c>2026-01-01</c>, <c>2026-01-01T00:00:00Z</c>, with or
/// without an offset; none means UTC), half-open. By default the last 7 UTC days, today included: whole days, so
/// daily series have 7 full buckets. Given only <c>to</c>, the 7 days before it; given only <c>from</c>, up to the end of today.
/// </summary>
public static class QueryRange
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(7);

    public static (TimeRange? Range, QueryError? Error) Parse(string? from, string? to, DateTimeOffset now)
    {
        var endOfToday = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        DateTimeOffset f, t;
        if (string.IsNullOrWhiteSpace(to)) t = endOfToday;
        else if (!TryParse(to, out t)) return (null, Invalid("to", to));
        if (string.IsNullOrWhiteSpace(from)) f = t - DefaultSpan;
        else if (!TryParse(from, out f)) return (null, Invalid("from", from));
        if (f >= t) return (null, QueryError.BadRequest("bad_range", $"'from' ({f:O}) must be before 'to' ({t:O})"));
        return (new TimeRange(f.ToUniversalTime(), t.ToUniversalTime()), null);
    }

    private static bool TryParse(string text, out DateTimeOffset value)
    {
        var t = text.Trim();
        // The '+' of an offset that was not escaped in a query string arrives as a space.
        if (t.Length > 19) t = t[..19] + t[19..].Replace(' ', '+');
        return IsoTimestamp.TryParse(t, out value);
    }

    private static QueryError Invalid(string name, string text) =>
        QueryError.BadRequest("bad_range", $"'{name}' is not an ISO 8601 instant (e.g. 2026-01-01 or 2026-01-01T00:00:00Z): '{Shorten(text)}'");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
