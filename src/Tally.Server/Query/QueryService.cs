using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Server.Query;

/// <summary>
/// Answers the query API and the CLI's analytics verbs alike: finds the plan's definition by name, asks the analytics
/// store, and shapes the response records. Unknown names are a 404 with a suggestion; a definition the engines reject
/// (the linter should have caught it) is a 400 naming the problem.
/// </summary>
public sealed class QueryService(TrackingPlan plan, IAnalyticsStore store)
{
    public TrackingPlan Plan => plan;

    public async Task<QueryAnswer<FunnelResponse>> FunnelAsync(string name, TimeRange range, CancellationToken ct = default)
    {
        if (Find(plan.Funnels, f => f.Name, name) is not { } funnel) return Missing(plan.Funnels.Select(f => f.Name), name, "funnel");
        return await FunnelAsync(funnel.Name, FunnelQuery.From(funnel, range), ct).ConfigureAwait(false);
    }

    /// <summary>A funnel of the plan (<paramref name="name"/>) or an ad-hoc one (null).</summary>
    public Task<QueryAnswer<FunnelResponse>> FunnelAsync(string? name, FunnelQuery query, CancellationToken ct = default) =>
        Guard(async () =>
        {
            var result = await store.FunnelAsync(query, ct).ConfigureAwait(false);
            return (QueryAnswer<FunnelResponse>)new FunnelResponse(name, query.Range.From, query.Range.To, QueryNames.Unit(query.Unit), QueryNames.Duration(query.Window),
                query.BreakdownBy, result.Steps, result.Breakdown, result.CompletesAfterRangeEnd, result.Excluded);
        });

    public async Task<QueryAnswer<KpiResponse>> KpiAsync(string name, TimeRange range, CancellationToken ct = default)
    {
        if (Find(plan.Kpis, k => k.Name, name) is not { } kpi) return Missing(plan.Kpis.Select(k => k.Name), name, "KPI");
        return await Guard(async () => (QueryAnswer<KpiResponse>)(await Kpi(kpi, range, ct).ConfigureAwait(false) with { From = range.From, To = range.To })).ConfigureAwait(false);
    }

    public Task<QueryAnswer<KpiListResponse>> KpisAsync(TimeRange range, CancellationToken ct = default) =>
        Guard(async () =>
        {
            var kpis = new List<KpiResponse>(plan.Kpis.Count);
            foreach (var kpi in plan.Kpis) kpis.Add(await Kpi(kpi, range, ct).ConfigureAwait(false));
            return (QueryAnswer<KpiListResponse>)new KpiListResponse(range.From, range.To, kpis);
        });

    public async Task<QueryAnswer<JourneyResponse>> JourneyAsync(string name, TimeRange range, CancellationToken ct = default)
    {
        if (Find(plan.Journeys, j => j.Name, name) is not { } journey) return Missing(plan.Journeys.Select(j => j.Name), name, "journey");
        return await Guard(async () => (QueryAnswer<JourneyResponse>)(await Journey(journey, range, ct).ConfigureAwait(false) with { From = range.From, To = range.To })).ConfigureAwait(false);
    }

    public Task<QueryAnswer<JourneyListResponse>> JourneysAsync(TimeRange range, CancellationToken ct = default) =>
        Guard(async () =>
        {
            var journeys = new List<JourneyResponse>(plan.Journeys.Count);
            foreach (var journey in plan.Journeys) journeys.Add(await Journey(journey, range, ct).ConfigureAwait(false));
            return (QueryAnswer<JourneyListResponse>)new JourneyListResponse(range.From, range.To, journeys);
        });

    public async Task<QueryAnswer<AttributionResponse>> AttributionAsync(string name, TimeRange range, CancellationToken ct = default)
    {
        if (Find(plan.Attributions, a => a.Name, name) is not { } a) return Missing(plan.Attributions.Select(x => x.Name), name, "attribution rule");
        return await Guard(async () =>
        {
            var r = await store.AttributionAsync(a, range, ct).ConfigureAwait(false);
            return (QueryAnswer<AttributionResponse>)new AttributionResponse(a.Name, a.Description, range.From, range.To, a.Touch.ToString(), a.CreditProperty,
                QueryNames.Duration(a.Window), QueryNames.Unit(a.Scope), r.Conversions, r.Attributed, r.Unattributed, r.Credits, r.ByConversionEvent);
        }).ConfigureAwait(false);
    }

    /// <summary>Counts of one event (a plan event, an identity call such as <c>$identify</c>, or <c>*</c>/none for all) per day or hour.</summary>
    public Task<QueryAnswer<CountsResponse>> CountsAsync(string? eventName, string? granularity, TimeRange range, CancellationToken ct = default)
    {
        var name = string.IsNullOrEmpty(eventName) || eventName == EventFilter.AnyEvent ? null : eventName;
        if (name is not null && !name.StartsWith('$') && plan.FindEvent(name) is null)
            return Task.FromResult<QueryAnswer<CountsResponse>>(QueryError.BadRequest("unknown_event",
                $"unknown event '{Shorten(name)}' in plan {plan.Name}{Suggest.Hint(name, plan.Events.Select(e => e.Name))}"));
        CountGranularity g;
        switch (granularity)
        {
            case null or "" or "day": g = CountGranularity.Day; break;
            case "hour": g = CountGranularity.Hour; break;
            default:
                return Task.FromResult<QueryAnswer<CountsResponse>>(QueryError.BadRequest("bad_granularity", $"granularity must be 'day' or 'hour', not '{Shorten(granularity)}'"));
        }
        return Guard(async () =>
        {
            var r = await store.CountsAsync(new CountsQuery(name, range, g), ct).ConfigureAwait(false);
            return (QueryAnswer<CountsResponse>)new CountsResponse(name, g == CountGranularity.Hour ? "hour" : "day", range.From, range.To, r.Total, r.Series);
        });
    }

    private async Task<KpiResponse> Kpi(KpiDefinition kpi, TimeRange range, CancellationToken ct)
    {
        var r = await store.KpiAsync(kpi, range, ct).ConfigureAwait(false);
        return new KpiResponse(kpi.Name, QueryNames.Kind(kpi.Kind), kpi.Description, QueryNames.Unit(kpi.Unit), r.Value, r.Numerator, r.Denominator, r.Series, r.Groups, r.Note);
    }

    private async Task<JourneyResponse> Journey(JourneyDefinition journey, TimeRange range, CancellationToken ct)
    {
        var r = await store.JourneyAsync(journey, range, ct).ConfigureAwait(false);
        return new JourneyResponse(journey.Name, journey.Description, QueryNames.Unit(journey.Unit), QueryNames.Duration(journey.Window), r.Started, r.Completed, r.Steps);
    }

    private static T? Find<T>(IReadOnlyList<T> items, Func<T, string> nameOf, string name) where T : class =>
        items.FirstOrDefault(i => string.Equals(nameOf(i), name, StringComparison.Ordinal));

    private QueryError Missing(IEnumerable<string> names, string name, string what)
    {
        var known = names.ToList();
        var listing = known.Count == 0 ? $"plan {plan.Name} declares none" : $"plan {plan.Name} has {string.Join(", ", known)}";
        return QueryError.NotFound($"no {what} '{Shorten(name)}'{Suggest.Hint(name, known)} ({listing})");
    }

    /// <summary>An invalid definition or range (the engines throw <see cref="ArgumentException"/>) becomes a 400 naming it.</summary>
    private static async Task<QueryAnswer<T>> Guard<T>(Func<Task<QueryAnswer<T>>> run) where T : class
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            var message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            return QueryError.BadRequest("invalid_query", message);
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
