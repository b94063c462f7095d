using Tally.Core.Plans;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// An <see cref="EventFilter"/> as a SQL condition, as <c>EventMatcher</c> reads it: the name equal (any name for
/// <c>*</c>) and every property equal to its value as text, byte for byte; a missing or null property never matches.
/// </summary>
internal static class FilterSql
{
    public static string Matches(EventFilter filter, PropertySql properties)
    {
        var conditions = new List<string>();
        if (filter.Event != EventFilter.AnyEvent)
        {
            conditions.Add($"name = {SqlLiteral.String(filter.Event)}");
        }

        foreach (var (key, value) in filter.Where)
        {
            conditions.Add(properties.EqualsText(key, value));
        }

        return conditions.Count == 0 ? "1" : "(" + string.Join(" AND ", conditions) + ")";
    }

    /// <summary>A condition on the sort key's name column that keeps every event any of the filters can match; null when one matches any name.</summary>
    public static string? Names(IEnumerable<EventFilter> filters)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var f in filters)
        {
            if (f.Event == EventFilter.AnyEvent)
            {
                return null;
            }

            names.Add(f.Event);
        }

        return names.Count == 0 ? "0" : $"name IN ({string.Join(", ", names.Select(SqlLiteral.String))})";
    }
}
