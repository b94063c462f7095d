using Tally.Core.Analytics;
using Tally.Core.Plans;
using Tally.Core.Tests.Analytics.Reference;

namespace Tally.Core.Tests.Analytics;

/// <summary>Property tests: on random data every engine returns exactly what the brute-force reference computes.</summary>
public class EnginesMatchReferenceTests
{
    [Fact]
    public void Identity_graph_resolves_every_id_to_the_smallest_user_of_its_component() => Scenario.Check(s =>
    {
        var people = Ref.People(s.Links);
        var graph = s.Graph;
        foreach (var (id, person) in people) Assert.Equal(person, graph.Resolve(id));
        foreach (var e in s.Events)
        {
            foreach (var unit in new[] { CountingUnit.Session, CountingUnit.User, CountingUnit.Anonymous })
                Assert.Equal(Ref.Actor(e, unit, people), graph.ActorKey(e, unit));
        }
    });

    [Fact]
    public void Funnel_levels_medians_and_completions_match_the_chain_definition() => Scenario.Check(s =>
    {
        var steps = Enumerable.Range(0, s.Random.Next(1, 5)).Select(_ => s.Filter()).ToList();
        var q = new FunnelQuery(steps, s.Window(), s.ActorUnit(), s.Range);
        Scenario.Same(RefFunnel.Run(s.Events, s.Links, q), FunnelEngine.Run(s.Shuffled(), s.Graph, q), s);
    });

    [Fact]
    public void Funnel_breakdown_matches_the_reference() => Scenario.Check(s =>
    {
        var steps = Enumerable.Range(0, s.Random.Next(1, 4)).Select(_ => s.Filter()).ToList();
        var q = new FunnelQuery(steps, s.Window(), s.ActorUnit(), s.Range, BreakdownBy: s.Random.Next(2) == 0 ? "p" : "k");
        Scenario.Same(RefFunnel.Run(s.Events, s.Links, q), FunnelEngine.Run(s.Shuffled(), s.Graph, q), s);
    });

    [Fact]
    public void Funnel_exclusions_match_the_reference() => Scenario.Check(s =>
    {
        var n = s.Random.Next(2, 5);
        var steps = Enumerable.Range(0, n).Select(_ => s.Filter()).ToList();
        var exclusions = Enumerable.Range(0, s.Random.Next(1, 3)).Select(_ =>
        {
            var after = s.Random.Next(1, n);
            return new ExclusionDefinition(s.Filter(allowAny: false), after, s.Random.Next(after + 1, n + 1));
        }).ToList();
        var q = new FunnelQuery(steps, s.Window(), s.ActorUnit(), s.Range, Exclusions: exclusions);
        Scenario.Same(RefFunnel.Run(s.Events, s.Links, q), FunnelEngine.Run(s.Shuffled(), s.Graph, q), s);
    });

    [Fact]
    public void Journeys_match_the_reference() => Scenario.Check(s =>
    {
        var steps = Enumerable.Range(0, s.Random.Next(1, 6)).Select(i => new StepDefinition(s.Filter(), i > 0 && s.Random.Next(3) == 0)).ToList();
        var j = new JourneyDefinition { Name = "j", Steps = steps, Window = s.Window(), Unit = s.ActorUnit() };
        Scenario.Same(RefJourney.Run(s.Events, s.Links, j, s.Range), JourneyEngine.Run(s.Shuffled(), s.Graph, j, s.Range), s);
    });

    [Fact]
    public void Attribution_matches_the_reference() => Scenario.Check(s =>
    {
        var a = new AttributionDefinition
        {
            Name = "a",
            Touch = s.Filter(),
            CreditProperty = s.Random.Next(2) == 0 ? "p" : "k",
            Conversions = Enumerable.Range(0, s.Random.Next(1, 4)).Select(_ => s.Filter()).ToList(),
            Window = s.Window(),
            Scope = s.ActorUnit(),
        };
        Scenario.Same(RefAttribution.Run(s.Events, s.Links, a, s.Range), AttributionEngine.Run(s.Shuffled(), s.Graph, a, s.Range), s);
    });

    [Fact]
    public void Counts_match_the_reference() => Scenario.Check(s =>
    {
        var q = new CountsQuery(s.Random.Next(3) == 0 ? null : "abcd"[s.Random.Next(4)].ToString(), s.Range,
            s.Random.Next(2) == 0 ? CountGranularity.Day : CountGranularity.Hour);
        Scenario.Same(RefCounts.Run(s.Events, q), CountsEngine.Run(s.Shuffled(), q), s);
    });

    private static CountingUnit AnyUnit(Scenario s) => s.Random.Next(4) == 0 ? CountingUnit.Event : s.ActorUnit();

    private static IReadOnlyList<string> SomeGroupBy(Scenario s) => s.Random.Next(3) switch
    {
        0 => [],
        1 => [s.Random.Next(2) == 0 ? "p" : "k"],
        _ => ["p", "k"],
    };

    public static TheoryData<KpiKind> Kinds => new(Enum.GetValues<KpiKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kpi_kind_matches_the_reference(KpiKind kind) => Scenario.Check(s =>
    {
        var k = kind switch
        {
            KpiKind.Ratio or KpiKind.RateBy => new KpiDefinition
            {
                Name = "k", Kind = kind, Numerator = s.Filter(), Denominator = s.Filter(), Unit = AnyUnit(s),
                GroupBy = kind == KpiKind.RateBy ? SomeGroupBy(s) : [],
            },
            KpiKind.CountPerDay => new KpiDefinition { Name = "k", Kind = kind, Event = s.Filter(), GroupBy = SomeGroupBy(s) },
            KpiKind.DistinctActors => new KpiDefinition
            {
                Name = "k", Kind = kind, Event = s.Filter(), Unit = AnyUnit(s), GroupBy = SomeGroupBy(s),
                Period = new[] { "day", "week", "month" }[s.Random.Next(3)],
            },
            KpiKind.ConversionWithin => new KpiDefinition { Name = "k", Kind = kind, Start = s.Filter(), End = s.Filter(), Within = s.Window(), Unit = s.ActorUnit() },
            KpiKind.AverageChange => new KpiDefinition { Name = "k", Kind = kind, Event = s.Filter(), Property = "n", Unit = s.ActorUnit() },
            _ => new KpiDefinition { Name = "k", Kind = kind, Event = s.Filter(), Property = "n" },
        };
        Scenario.Same(RefKpi.Run(s.Events, s.Links, k, s.Range), KpiEngine.Run(s.Shuffled(), s.Graph, k, s.Range), s);
    });
}
