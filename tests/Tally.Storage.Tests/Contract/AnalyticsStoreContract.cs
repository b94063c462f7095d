using System.Text.Json;
using System.Text.Json.Serialization;
using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IAnalyticsStore"/> promises: for the same events and identity links, the answers of the pure
/// engines in <c>Tally.Core.Analytics</c> (docs/analytics.md), for every funnel, journey, KPI and attribution of the
/// seed plans and for counts by day and hour. The store is given random events (<see cref="AnalyticsDataSet"/>),
/// production and staging mixed; the engines are given the production ones, which a store answers for by default.
/// A backend's test class derives from this and passes a factory whose stores also implement <see cref="IAnalyticsStore"/>.
/// </summary>
public abstract partial class AnalyticsStoreContract(IEventStoreFactory factory) : IAsyncLifetime
{
    private IEventStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await factory.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        await factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private IAnalyticsStore Analytics => _store as IAnalyticsStore ?? throw new InvalidOperationException($"{_store?.GetType().Name} does not implement IAnalyticsStore");

    private static readonly string[] PlanFiles = ["aurora-concierge.yaml", "skillforge.yaml", "minimal-telemetry.yaml"];

    public static TheoryData<string> Plans => new(PlanFiles);

    /// <summary>The seed plans that declare any of <paramref name="section"/> (funnels, journeys, kpis, attribution).</summary>
    public static TheoryData<string> PlansWith(string section) => new(PlanFiles.Where(f =>
    {
        var plan = Load(f);
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
    public async Task Funnels_equal_the_engine(string planFile)
    {
        var (plan, data) = await LoadAsync(planFile);
        var deepest = 0L;
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var funnel in plan.Funnels)
            {
                var query = FunnelQuery.From(funnel, range);
                var expected = FunnelEngine.Run(data.Production, data.Identities, query);
                Same(expected, await Analytics.FunnelAsync(query, Ct), $"funnel {funnel.Name} over {range}");
                deepest = Math.Max(deepest, expected.Steps[^1].Actors);
            }
        }
        Assert.True(deepest > 0, "the data should take some actor through a whole funnel");
    }

    [Theory]
    [MemberData(nameof(PlansWith), "funnels")]
    public async Task Funnels_by_other_units_equal_the_engine(string planFile)
    {
        // The plans' funnels count sessions or users; the same steps counted by the other units read other ids.
        var (plan, data) = await LoadAsync(planFile);
        var range = AnalyticsDataSet.Ranges[0];
        foreach (var funnel in plan.Funnels)
        {
            foreach (var unit in new[] { CountingUnit.Session, CountingUnit.User, CountingUnit.Anonymous })
            {
                var query = FunnelQuery.From(funnel, range) with { Unit = unit };
                Same(FunnelEngine.Run(data.Production, data.Identities, query), await Analytics.FunnelAsync(query, Ct), $"funnel {funnel.Name} by {unit}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(PlansWith), "journeys")]
    public async Task Journeys_equal_the_engine(string planFile)
    {
        var (plan, data) = await LoadAsync(planFile);
        var completed = 0L;
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var journey in plan.Journeys)
            {
                var expected = JourneyEngine.Run(data.Production, data.Identities, journey, range);
                Same(expected, await Analytics.JourneyAsync(journey, range, Ct), $"journey {journey.Name} over {range}");
                completed += expected.Completed;
            }
        }
        Assert.True(completed > 0, "the data should complete some journey");
    }

    [Theory]
    [MemberData(nameof(PlansWith), "kpis")]
    public async Task Kpis_equal_the_engine(string planFile)
    {
        var (plan, data) = await LoadAsync(planFile);
        // Every KPI of the plan should be non-zero over some range, or the data would not exercise it.
        var defined = new HashSet<string>();
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var kpi in plan.Kpis)
            {
                var expected = KpiEngine.Run(data.KpiEvents, data.Identities, kpi, range);
                Same(expected, await Analytics.KpiAsync(kpi, range, Ct), $"KPI {kpi.Name} over {range}");
                if (expected.Value is { } v && v != 0) defined.Add(kpi.Name);
            }
        }
        Assert.Equal(plan.Kpis.Select(k => k.Name).Order(), defined.Order());
    }

    [Theory]
    [MemberData(nameof(PlansWith), "attribution")]
    public async Task Attribution_equals_the_engine(string planFile)
    {
        var (plan, data) = await LoadAsync(planFile);
        var attributed = 0L;
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var attribution in plan.Attributions)
            {
                var expected = AttributionEngine.Run(data.Production, data.Identities, attribution, range);
                Same(expected, await Analytics.AttributionAsync(attribution, range, Ct), $"attribution {attribution.Name} over {range}");
                attributed += expected.Attributed;
            }
        }
        Assert.True(attributed > 0, "the data should attribute some conversion");
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task Counts_by_day_and_hour_equal_the_engine(string planFile)
    {
        var (_, data) = await LoadAsync(planFile);
        var names = data.Events.Select(e => e.Name).Distinct().Append("never_sent").Append(EventFilter.AnyEvent).Cast<string?>().Append(null);
        foreach (var range in AnalyticsDataSet.Ranges)
        {
            foreach (var name in names)
            {
                foreach (var granularity in new[] { CountGranularity.Day, CountGranularity.Hour })
                {
                    var query = new CountsQuery(name, range, granularity);
                    Same(CountsEngine.Run(data.Production, query), await Analytics.CountsAsync(query, Ct), $"counts of {name ?? "(all)"} by {granularity} over {range}");
                }
            }
        }
    }

    [Fact]
    public async Task Answers_exclude_other_environments()
    {
        var (plan, data) = await LoadAsync("skillforge.yaml");
        var range = AnalyticsDataSet.Ranges[1];
        var all = new CountsQuery(null, range);

        var counted = await Analytics.CountsAsync(all, Ct);

        Assert.Equal(data.Events.Where(e => e.Environment == "production" && !e.AggregateOnly && range.Contains(e.Timestamp.ToUnixTimeMilliseconds())).Sum(e => e.Count), counted.Total);
        Assert.True(data.Events.Any(e => e.Environment != "production"), "the data should hold events of another environment");
        Assert.NotEmpty(plan.Kpis);
    }

    [Fact]
    public async Task An_empty_store_answers_zeros()
    {
        var plan = Load("aurora-concierge.yaml");
        var range = AnalyticsDataSet.Ranges[0];

        var funnel = await Analytics.FunnelAsync(FunnelQuery.From(plan.Funnels[0], range), Ct);
        var counts = await Analytics.CountsAsync(new CountsQuery(null, range, CountGranularity.Hour), Ct);

        Assert.All(funnel.Steps, s => Assert.Equal(0, s.Actors));
        Assert.Equal(0, counts.Total);
        Assert.Equal(TimeBuckets.Covering(range, "hour").Count, counts.Series.Count);
    }

    private async Task<(TrackingPlan Plan, AnalyticsDataSet Data)> LoadAsync(string planFile)
    {
        var plan = Load(planFile);
        // A seed per plan, so every run and every store sees the same data; a failure can be replayed.
        var data = AnalyticsDataSet.For(plan, seed: planFile.Length * 7919);
        // Several commits of different sizes, the links in the middle one: stores must not depend on write order.
        var store = _store!;
        var third = data.Events.Count / 3;
        await store.WriteAsync(new WriteBatch(data.Events[..third], [], []), Ct);
        await store.WriteAsync(new WriteBatch(data.Events[third..(2 * third)], [], data.Links), Ct);
        await store.WriteAsync(new WriteBatch(data.Events[(2 * third)..], [], []), Ct);
        return (plan, data);
    }

    private static TrackingPlan Load(string planFile)
    {
        var loaded = PlanLoader.LoadFile(Repo.PathOf("plans", planFile));
        return loaded.Plan ?? throw new InvalidOperationException($"{planFile} does not load: {string.Join("; ", loaded.Diagnostics)}");
    }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new RoundedDouble() }, WriteIndented = true };

    /// <summary>Compared as JSON, doubles rounded: a store may sum in another order than the engine.</summary>
    private static void Same<T>(T expected, T actual, string what)
    {
        string e = JsonSerializer.Serialize(expected, Json), a = JsonSerializer.Serialize(actual, Json);
        Assert.True(e == a, $"{what}\nengine:\n{e}\nstore:\n{a}");
    }

    private sealed class RoundedDouble : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(Math.Round(value, 9));
    }
}
