using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Core.Demo;

/// <summary>
/// Computes every funnel, KPI, attribution and journey of a plan with the reference engines, over events read back
/// from a store. Aggregate-only events have no raw rows, only daily roll-ups, so they are read from those: one
/// record per day, name and dimensions (the declared properties the roll-up keeps), standing for the day's count.
/// </summary>
public static class DemoAnalytics
{
    public static DemoResults Compute(TrackingPlan plan, IReadOnlyList<AnalyticsEvent> events, IReadOnlyList<IdentityLink> links, TimeRange range)
    {
        var identities = new IdentityGraph(links);
        var failures = new List<string>();
        T? Try<T>(string what, Func<T> run) where T : class
        {
            try
            {
                return run();
            }
            catch (ArgumentException e)
            {
                failures.Add($"{what}: {e.Message}");
                return null;
            }
        }
        var funnels = plan.Funnels
            .Select(f => Try($"funnel {f.Name}", () => new NamedFunnelResult(f.Name, f.BreakdownBy, FunnelEngine.Run(events, identities, FunnelQuery.From(f, range)))))
            .OfType<NamedFunnelResult>().ToList();
        var kpis = plan.Kpis.Select(k => Try($"kpi {k.Name}", () => KpiEngine.Run(events, identities, k, range))).OfType<KpiResult>().ToList();
        var attributions = plan.Attributions.Select(a => Try($"attribution {a.Name}", () => AttributionEngine.Run(events, identities, a, range))).OfType<AttributionResult>().ToList();
        var journeys = plan.Journeys.Select(j => Try($"journey {j.Name}", () => JourneyEngine.Run(events, identities, j, range))).OfType<JourneyResult>().ToList();
        return new DemoResults(range, funnels, kpis, attributions, journeys, failures);
    }

    /// <summary>The analytics view of the roll-up rows of the plan's aggregate-only events (other events have raw rows).</summary>
    public static IEnumerable<AnalyticsEvent> FromRollups(TrackingPlan plan, IEnumerable<RollupRow> rows, string environment = "production")
    {
        var aggregate = plan.Events.Where(e => e.AggregateOnly).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        return RollupEvents.From(rows.Where(r => aggregate.Contains(r.Name)), environment);
    }

    /// <summary>From the first to just after the last event: every day the run touched.</summary>
    public static TimeRange RangeOf(IReadOnlyList<AnalyticsEvent> events, DateTimeOffset now)
    {
        if (events.Count == 0) return new TimeRange(now.AddHours(-1), now);
        long min = long.MaxValue, max = long.MinValue;
        foreach (var e in events)
        {
            min = Math.Min(min, e.TimestampMs);
            max = Math.Max(max, e.TimestampMs);
        }
        return new TimeRange(DateTimeOffset.FromUnixTimeMilliseconds(min), DateTimeOffset.FromUnixTimeMilliseconds(max + 1));
    }
}
