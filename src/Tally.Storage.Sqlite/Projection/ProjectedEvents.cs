using Tally.Core.Analytics;
using Tally.Storage.Sqlite.Analytics;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// Projected rows of a slice as <see cref="AnalyticsEvent"/>s for the Core engines that have no column form
/// (journeys, KPIs, attribution): names, ids and property values are the projection's shared strings, and
/// properties are decoded only when an engine asks for one, so no JSON is parsed and little is allocated.
/// </summary>
internal static class ProjectedEvents
{
    public static IEnumerable<AnalyticsEvent> Of(ProjectionView view, string environment, EventSlice slice, CancellationToken ct)
    {
        if (slice.IsEmpty) yield break;
        foreach (var p in view.Partitions(environment, slice.Names))
        {
            ct.ThrowIfCancellationRequested();
            var ts = p.Timestamps;
            for (var i = 0; i < p.Length; i++)
            {
                var t = ts[i];
                if (t < slice.FromMs || t > slice.ToMs) continue;
                yield return new AnalyticsEvent(p.Name, t, view.Ids.Id(p.Sessions[i]), view.Ids.Id(p.Anonymous[i]), view.Ids.Id(p.Users[i]),
                    new ProjectedProperties(p, i), p.Counts[i]);
            }
        }
    }
}
