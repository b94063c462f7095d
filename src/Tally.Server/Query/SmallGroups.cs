using Tally.Core.Analytics;

namespace Tally.Server.Query;

/// <summary>
/// Small-group suppression for viewer answers: a group smaller than the threshold is left out of the list it was in
/// (not nulled), and the answer's <c>x-tally-suppressed-groups</c> header says how many were left out. Totals stay:
/// they are the sum over everyone, not a group. What "size" means per answer:
/// funnel breakdown rows: actors who entered step 1; KPI groups: the denominator of a ratio or rate, the event count of
/// <c>count_per_day</c>, the summed per-period actors of <c>distinct_actors</c>, else the numerator (a group with no
/// size is left out); attribution credits: conversions credited to the value.
/// </summary>
public static class SmallGroups
{
    public const string Header = "x-tally-suppressed-groups";

    public static (FunnelResponse Answer, int Suppressed) Funnel(FunnelResponse r, int min)
    {
        var kept = r.Breakdown.Where(b => b.Steps.Count > 0 && b.Steps[0].Actors >= min).ToList();
        return (r with { Breakdown = kept }, r.Breakdown.Count - kept.Count);
    }

    public static (KpiResponse Answer, int Suppressed) Kpi(KpiResponse r, int min)
    {
        var kept = r.Groups.Where(g => Size(r.Kind, g) is { } n && n >= min).ToList();
        return (r with { Groups = kept }, r.Groups.Count - kept.Count);
    }

    public static (KpiListResponse Answer, int Suppressed) Kpis(KpiListResponse r, int min)
    {
        var each = r.Kpis.Select(k => Kpi(k, min)).ToList();
        return (r with { Kpis = each.Select(e => e.Answer).ToList() }, each.Sum(e => e.Suppressed));
    }

    public static (AttributionResponse Answer, int Suppressed) Attribution(AttributionResponse r, int min)
    {
        var suppressed = 0;
        List<AttributionCredit> Keep(IReadOnlyList<AttributionCredit> credits)
        {
            var kept = credits.Where(c => c.Conversions >= min).ToList();
            suppressed += credits.Count - kept.Count;
            return kept;
        }

        var answer = r with
        {
            Credits = Keep(r.Credits),
            ByConversionEvent = r.ByConversionEvent.Select(b => b with { Credits = Keep(b.Credits) }).ToList(),
        };
        return (answer, suppressed);
    }

    private static long? Size(string kind, KpiGroup g) => kind switch
    {
        "count_per_day" or "distinct_actors" => g.Numerator,
        _ => g.Denominator ?? g.Numerator,
    };
}
