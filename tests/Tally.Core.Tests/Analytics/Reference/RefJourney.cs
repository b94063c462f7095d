using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Analytics.Reference;

/// <summary>Journeys straight from the definition, with chains found by brute force.</summary>
public static class RefJourney
{
    public static JourneyResult Run(IReadOnlyList<AnalyticsEvent> events, IReadOnlyList<IdentityLink> links, JourneyDefinition j, TimeRange range)
    {
        var people = Ref.People(links);
        var window = Ref.Ms(j.Window);
        var required = j.Steps.Where((s, i) => i == 0 || !s.Optional).Select(s => s.Filter).ToList();
        var reached = new long[j.Steps.Count];
        long completed = 0;
        foreach (var (_, evs) in Ref.ByActor(events, j.Unit, people))
        {
            // Position of the last required step at or before each step.
            var p = -1;
            for (var i = 0; i < j.Steps.Count; i++)
            {
                var s = j.Steps[i];
                if (i == 0 || !s.Optional)
                {
                    p++;
                    if (Ref.HasChain(evs, required.Take(p + 1).ToList(), range, window)) reached[i]++;
                    continue;
                }
                var upTo = required.Take(p + 1).ToList();
                var after = Ref.HasChain(evs, [.. upTo, s.Filter], range, window);
                var wentOn = p + 1 < required.Count && Ref.HasChain(evs, required.Take(p + 2).ToList(), range, window);
                var before = wentOn && Ref.HasChain(evs, [.. upTo, s.Filter, required[p + 1]], range, window);
                if (after && (!wentOn || before)) reached[i]++;
            }
            if (Ref.HasChain(evs, required, range, window)) completed++;
        }
        return new JourneyResult(j.Name, reached[0], completed,
            j.Steps.Select((s, i) => new JourneyStepResult(s.Filter.ToString(), i != 0 && s.Optional, reached[i])).ToList());
    }
}
