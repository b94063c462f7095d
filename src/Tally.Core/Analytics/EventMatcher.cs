using Tally.Core.Plans;

namespace Tally.Core.Analytics;

/// <summary>
/// A compiled <see cref="EventFilter"/>: the name must be equal (or the filter <c>*</c>) and every condition must
/// equal the property's text exactly (ordinal). A missing or null property never matches a condition.
/// </summary>
public sealed class EventMatcher
{
    private readonly string? _name;
    private readonly KeyValuePair<string, string>[] _where;

    public EventMatcher(EventFilter filter)
    {
        Filter = filter;
        _name = filter.Event == EventFilter.AnyEvent ? null : filter.Event;
        _where = [.. filter.Where];
    }

    public EventFilter Filter { get; }

    public bool Matches(AnalyticsEvent e)
    {
        if (_name is not null && !string.Equals(_name, e.Name, StringComparison.Ordinal)) return false;
        foreach (var (key, value) in _where)
        {
            if (!e.Properties.TryGetValue(key, out var actual) || actual is null) return false;
            if (!string.Equals(actual, value, StringComparison.Ordinal)) return false;
        }
        return true;
    }
}
