using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Storage.Sqlite.Analytics;

/// <summary>
/// The events one analytics query can look at: the names its filters mention (all names when one of them is
/// <c>*</c>) and an inclusive time span. It is derived from the same rules the engines apply (docs/analytics.md),
/// so reading only this slice gives the engine exactly the events that could change its answer.
/// </summary>
/// <param name="Names">Event names to read; null for every name.</param>
/// <param name="FromMs">First instant to read (Unix ms, inclusive).</param>
/// <param name="ToMs">Last instant to read (Unix ms, inclusive).</param>
internal sealed record EventSlice(IReadOnlyList<string>? Names, long FromMs, long ToMs)
{
    /// <summary>True when no event can matter (no filter, or an empty span): nothing needs to be read.</summary>
    public bool IsEmpty => Names is { Count: 0 } || ToMs < FromMs;

    /// <summary>Step 1 in the range, later steps (and exclusions, which lie between steps) up to the window after its end.</summary>
    public static EventSlice Funnel(FunnelQuery query) =>
        Of([.. query.Steps, .. (query.Exclusions ?? []).Select(x => x.Filter)], query.Range.FromMs, Add(query.Range.ToMs, WindowMs(query.Window)));

    public static EventSlice Journey(JourneyDefinition journey, TimeRange range) =>
        Of(journey.Steps.Select(s => s.Filter), range.FromMs, Add(range.ToMs, WindowMs(journey.Window)));

    /// <summary>Conversions in the range; touches up to the window before its start.</summary>
    public static EventSlice Attribution(AttributionDefinition attribution, TimeRange range) =>
        Of([attribution.Touch, .. attribution.Conversions], Add(range.FromMs, -WindowMs(attribution.Window)), range.ToMs - 1);

    /// <summary>Only events in the range count, except conversion_within end events, which may follow its end by the time limit.</summary>
    public static EventSlice Kpi(KpiDefinition kpi, TimeRange range) => kpi.Kind switch
    {
        KpiKind.Ratio or KpiKind.RateBy => Of(Present(kpi.Numerator, kpi.Denominator), range.FromMs, range.ToMs - 1),
        KpiKind.ConversionWithin => Of(Present(kpi.Start, kpi.End), range.FromMs, Add(range.ToMs, WindowMs(kpi.Within ?? TimeSpan.Zero))),
        _ => Of(Present(kpi.Event), range.FromMs, range.ToMs - 1),
    };

    public static EventSlice Counts(CountsQuery query) =>
        new(query.Event is null or EventFilter.AnyEvent ? null : [query.Event], query.Range.FromMs, query.Range.ToMs - 1);

    private static EventSlice Of(IEnumerable<EventFilter> filters, long fromMs, long toMs)
    {
        var names = new List<string>();
        foreach (var f in filters)
        {
            if (f.Event == EventFilter.AnyEvent) return new EventSlice(null, fromMs, toMs);
            if (!names.Contains(f.Event, StringComparer.Ordinal)) names.Add(f.Event);
        }
        return new EventSlice(names, fromMs, toMs);
    }

    // A KPI missing a filter it needs reads nothing for it; the engine then rejects the definition as it would anyway.
    private static IEnumerable<EventFilter> Present(params EventFilter?[] filters) => filters.OfType<EventFilter>();

    /// <summary>Whole milliseconds, as the engines count a window (<c>forever</c> still adds to a timestamp safely).</summary>
    private static long WindowMs(TimeSpan window) => Math.Max(0, window.Ticks / TimeSpan.TicksPerMillisecond);

    private static long Add(long a, long b)
    {
        var r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? long.MaxValue : long.MinValue) : r;
    }
}
