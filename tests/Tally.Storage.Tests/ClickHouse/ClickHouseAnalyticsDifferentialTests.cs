using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

/// <summary>
/// The ClickHouse store's analytics, computed in SQL, against the Core engines on the same events and links: every
/// funnel, journey, KPI and attribution of the seed plans, over ranges that cut through the data, hold all of it or
/// hold nothing, and by every unit; random funnels with breakdowns and exclusions; counts by day and hour. The answers
/// must be identical (doubles within 1e-9).
/// </summary>
public sealed class ClickHouseAnalyticsDifferentialTests(SeedPlanStores stores) : IClassFixture<SeedPlanStores>
{
    private static readonly CountingUnit[] ActorUnits = [CountingUnit.Session, CountingUnit.User, CountingUnit.Anonymous];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> SeedPlans => new("aurora-concierge.yaml", "skillforge.yaml", "minimal-telemetry.yaml", "auterity.yaml", "support-middleware.yaml");

    public static TheoryData<string> PlansWith(string section) => new(SeedPlans.Select(p => (string)p.Data).Where(file =>
    {
        var plan = SeedPlanStores.Plan(file);
        return section switch
        {
            "funnels" => plan.Funnels.Count > 0,
            "journeys" => plan.Journeys.Count > 0,
            "kpis" => plan.Kpis.Count > 0,
            "attribution" => plan.Attributions.Count > 0,
            _ => throw new ArgumentException($"unknown section {section}", nameof(section)),
        };
    }));

    [Theory]
    [MemberData(nameof(PlansWith), "funnels")]
    public async Task Funnels_of_the_plans_equal_the_engine_by_every_unit(string planFile)
    {
        var (plan, data, store, _) = await stores.ForAsync(planFile);
        var events = data.Production;
        var deepest = 0L;
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var funnel in plan.Funnels)
            {
                foreach (var unit in ActorUnits)
                {
                    var query = FunnelQuery.From(funnel, range) with { Unit = unit };
                    var expected = FunnelEngine.Run(events, data.Identities, query);
                    SameAnswer.Assert(expected, await store.FunnelAsync(query, Ct), $"funnel {funnel.Name} by {unit} over {range}");
                    deepest = Math.Max(deepest, expected.Steps[^1].Actors);
                }
            }
        }

        Assert.True(deepest > 0, "the data should take some actor through a whole funnel");
    }

    [Theory]
    [MemberData(nameof(PlansWith), "journeys")]
    public async Task Journeys_of_the_plans_equal_the_engine_by_every_unit(string planFile)
    {
        var (plan, data, store, _) = await stores.ForAsync(planFile);
        var events = data.Production;
        long completed = 0, optional = 0;
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var journey in plan.Journeys)
            {
                foreach (var unit in ActorUnits)
                {
                    var variant = journey with { Unit = unit };
                    var expected = JourneyEngine.Run(events, data.Identities, variant, range);
                    SameAnswer.Assert(expected, await store.JourneyAsync(variant, range, Ct), $"journey {journey.Name} by {unit} over {range}");
                    completed += expected.Completed;
                    optional += expected.Steps.Where(s => s.Optional).Sum(s => s.Reached);
                }
            }
        }

        Assert.True(completed > 0 && optional > 0, "the data should complete journeys and reach optional steps");
    }

    [Theory]
    [MemberData(nameof(PlansWith), "kpis")]
    public async Task Kpis_of_the_plans_equal_the_engine_by_every_unit_and_period(string planFile)
    {
        var (plan, data, store, _) = await stores.ForAsync(planFile);
        var events = data.KpiEvents;
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var kpi in plan.Kpis)
            {
                // Every unit and period over the range that cuts through the data; the plan's definition over every range.
                foreach (var variant in range == AnalyticsDataSet.Ranges[0] ? Variants(kpi) : [kpi])
                {
                    var expected = KpiEngine.Run(events, data.Identities, variant, range);
                    SameAnswer.Assert(expected, await store.KpiAsync(variant, range, Ct), $"KPI {kpi.Name} ({variant.Kind}, {variant.Unit}, {variant.Period}) over {range}");
                    if (variant == kpi && expected.Value is not null) defined.Add(kpi.Name);
                }
            }
        }

        Assert.Equal(plan.Kpis.Select(k => k.Name).Order(StringComparer.Ordinal), defined.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PlansWith), "attribution")]
    public async Task Attribution_of_the_plans_equals_the_engine_by_every_scope(string planFile)
    {
        var (plan, data, store, _) = await stores.ForAsync(planFile);
        var events = data.Production;
        long attributed = 0, unattributed = 0;
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var attribution in plan.Attributions)
            {
                foreach (var scope in ActorUnits)
                {
                    var windows = range == AnalyticsDataSet.Ranges[0] ? new[] { attribution.Window, TimeSpan.Zero, TimeSpan.FromDays(2) } : [attribution.Window];
                    foreach (var window in windows)
                    {
                        var variant = attribution with { Scope = scope, Window = window };
                        var expected = AttributionEngine.Run(events, data.Identities, variant, range);
                        SameAnswer.Assert(expected, await store.AttributionAsync(variant, range, Ct), $"attribution {attribution.Name} by {scope} within {window} over {range}");
                        attributed += expected.Attributed;
                        unattributed += expected.Unattributed;
                    }
                }
            }
        }

        Assert.True(attributed > 0 && unattributed > 0, "the data should attribute some conversions and not others");
    }

    [Theory]
    [MemberData(nameof(SeedPlans))]
    public async Task Counts_by_day_and_hour_equal_the_engine(string planFile)
    {
        var (_, data, store, _) = await stores.ForAsync(planFile);
        var events = data.Production;
        var names = data.Events.Select(e => e.Name).Distinct().Append("never_sent").Append(EventFilter.AnyEvent).Cast<string?>().Append(null);
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var name in names)
            {
                foreach (var granularity in new[] { CountGranularity.Day, CountGranularity.Hour })
                {
                    var query = new CountsQuery(name, range, granularity);
                    SameAnswer.Assert(CountsEngine.Run(events, query), await store.CountsAsync(query, Ct), $"counts of {name ?? "(all)"} by {granularity} over {range}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(SeedPlans))]
    public async Task Random_funnels_with_breakdowns_and_exclusions_equal_the_engine(string planFile)
    {
        var (plan, data, store, _) = await stores.ForAsync(planFile);
        var events = data.Production;
        var r = new Random(planFile.Length);
        var filters = AnalyticsDataSet.Filters(plan).Distinct().ToList();
        var keys = filters.SelectMany(f => f.Where.Keys).Concat(plan.Kpis.SelectMany(k => k.GroupBy)).Append("not_a_property").Distinct().ToList();
        TimeSpan[] windows = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30), TimeSpan.FromHours(6), TimeSpan.FromDays(3), TimeSpan.MaxValue];
        long excluded = 0, broken = 0;
        for (var i = 0; i < 25; i++)
        {
            var steps = Enumerable.Range(0, r.Next(1, 6)).Select(_ => Filter(r, filters)).ToList();
            var exclusions = steps.Count < 2 ? [] : Enumerable.Range(0, r.Next(0, 3)).Select(_ =>
            {
                var after = r.Next(1, steps.Count);
                return new ExclusionDefinition(Filter(r, filters), after, r.Next(after + 1, steps.Count + 1));
            }).ToList();
            var range = r.Next(3) == 0 ? RandomRange(r) : AnalyticsDataSet.Ranges[r.Next(AnalyticsDataSet.Ranges.Count)];
            var query = new FunnelQuery(steps, windows[r.Next(windows.Length)], ActorUnits[r.Next(3)], range,
                r.Next(3) == 0 ? null : keys[r.Next(keys.Count)], exclusions);
            var expected = FunnelEngine.Run(events, data.Identities, query);
            SameAnswer.Assert(expected, await store.FunnelAsync(query, Ct), $"funnel #{i} [{string.Join(" → ", steps)}] within {query.Window} by {query.Unit} over {range}, " +
                $"breakdown {query.BreakdownBy}, exclusions [{string.Join(", ", exclusions.Select(x => $"{x.Filter} {x.AfterStep}-{x.BeforeStep}"))}]");
            excluded += expected.Excluded;
            broken += expected.Breakdown.Count;
        }

        Assert.True(excluded > 0 && broken > 1, "the random funnels should exclude actors and break some down");
    }

    [Fact]
    public async Task Another_environment_is_answered_for_when_asked()
    {
        var (plan, data, store, _) = await stores.ForAsync("aurora-concierge.yaml");
        var staging = data.Events.Where(e => e.Environment == "staging" && !e.AggregateOnly).Select(AnalyticsEvent.From).ToList();
        var range = AnalyticsDataSet.Ranges[1];
        var counts = new CountsQuery(null, range);
        var funnel = FunnelQuery.From(plan.Funnels[0], range);

        var analytics = store.Analytics("staging");

        Assert.NotEmpty(staging);
        SameAnswer.Assert(CountsEngine.Run(staging, counts), await analytics.CountsAsync(counts, Ct), "staging counts");
        SameAnswer.Assert(FunnelEngine.Run(staging, data.Identities, funnel), await analytics.FunnelAsync(funnel, Ct), "staging funnel");
        Assert.Equal(0, (await store.Analytics("development").CountsAsync(counts, Ct)).Total);
    }

    [Fact]
    public async Task Definitions_the_engine_rejects_are_rejected()
    {
        var (plan, _, store, _) = await stores.ForAsync("skillforge.yaml");
        var range = AnalyticsDataSet.Ranges[0];
        var funnel = FunnelQuery.From(plan.Funnels[0], range);
        var kpi = plan.Kpis.First(k => k.Kind == KpiKind.ConversionWithin);

        await Assert.ThrowsAsync<ArgumentException>(() => store.FunnelAsync(funnel with { Unit = CountingUnit.Event }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.FunnelAsync(funnel with { Exclusions = [new ExclusionDefinition(funnel.Steps[0], 2, 2)] }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.KpiAsync(kpi with { Unit = CountingUnit.Event }, range, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.KpiAsync(kpi with { Kind = KpiKind.DistinctActors, Event = kpi.Start, Period = "year" }, range, Ct));
    }

    /// <summary>The KPI as defined, and as it would read with other units (and periods) where its kind allows them.</summary>
    private static IEnumerable<KpiDefinition> Variants(KpiDefinition kpi)
    {
        yield return kpi;
        CountingUnit[] units = kpi.Kind switch
        {
            KpiKind.Ratio or KpiKind.RateBy or KpiKind.DistinctActors => [CountingUnit.Event, .. ActorUnits],
            KpiKind.ConversionWithin or KpiKind.AverageChange => ActorUnits,
            _ => [],
        };
        foreach (var unit in units.Where(u => u != kpi.Unit)) yield return kpi with { Unit = unit };
        if (kpi.Kind == KpiKind.DistinctActors)
        {
            foreach (var period in new[] { "day", "week", "month" }.Where(p => p != kpi.Period)) yield return kpi with { Period = period };
        }

        if (kpi.Kind == KpiKind.ConversionWithin)
        {
            yield return kpi with { Within = TimeSpan.Zero };
            yield return kpi with { Within = TimeSpan.FromMinutes(30) };
        }
    }

    /// <summary>A filter of the plan, now and then with another value for a condition, or any event.</summary>
    private static EventFilter Filter(Random r, List<EventFilter> filters)
    {
        if (r.Next(12) == 0) return EventFilter.Of(EventFilter.AnyEvent);
        var f = filters[r.Next(filters.Count)];
        if (f.Where.Count > 0 && r.Next(4) == 0) return EventFilter.Of(f.Event, (f.Where.Keys.First(), "other"));
        if (f.Where.Count > 0 && r.Next(4) == 0) return EventFilter.Of(f.Event);
        return f;
    }

    private static TimeRange RandomRange(Random r)
    {
        var from = AnalyticsDataSet.Monday.AddMinutes(r.Next(-4 * 1440, 8 * 1440)).AddMilliseconds(r.Next(60_000));
        return new TimeRange(from, from.AddMinutes(r.Next(1, 3 * 1440)));
    }
}
