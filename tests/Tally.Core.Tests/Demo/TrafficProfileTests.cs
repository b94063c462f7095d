using Tally.Core.Demo;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Demo;

public class TrafficProfileTests
{
    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Every_seed_plan_has_a_profile_that_names_only_its_events_and_properties(string planFile)
    {
        var (plan, profile) = DemoTraffic.Load(planFile);
        var findings = TrafficProfileCheck.Check(profile, plan);
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        Assert.NotEmpty(profile.Flows);
        Assert.All(profile.Flows.SelectMany(f => f.Steps), s => Assert.NotNull(plan.FindEvent(s.Event)));
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Every_profile_spoils_some_events_and_plants_personal_data(string planFile)
    {
        var (_, profile) = DemoTraffic.Load(planFile);
        Assert.True(profile.Invalid is { Share: > 0 }, "no invalid events: quarantine would not show");
        Assert.True(profile.Pii is { Share: > 0 }, "no personal data: the privacy policies would not visibly act");
    }

    [Fact]
    public void The_profile_path_sits_beside_the_plan()
    {
        var path = TrafficProfileLoader.PathFor(Path.Combine("plans", "skillforge.yaml"));
        Assert.Equal(Path.GetFullPath(Path.Combine("plans", "skillforge.traffic.yaml")), path);
    }

    [Fact]
    public void The_example_in_docs_demo_md_loads_and_passes_its_plan()
    {
        var doc = File.ReadAllText(Repo.PathOf("docs", "demo.md"));
        var start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
        var loaded = TrafficProfileLoader.Parse(yaml, "docs/demo.md");
        Assert.Empty(loaded.Diagnostics);
        var plan = SeedPlans.Load("aurora-concierge.yaml");
        Assert.Empty(TrafficProfileCheck.Check(loaded.Profile!, plan));
        Assert.NotEmpty(new TrafficGenerator(plan, loaded.Profile!).Generate(1, DemoTraffic.Now, 20).Events);
    }

    private const string Broken = """
        plan: aurora-concierge
        sessions: 10
        flows:
          f:
            steps:
              - aurora_widget_opn
              - event: aurora_widget_open
                properties:
                  source: launcher
                  sesionId: x
              - event: aurora_intent_detected
                properties:
                  intent: {one_of: [find_product, find_ring]}
              - event: aurora_csat_submitted
                properties:
                  rating: $mood
        """;

    [Fact]
    public void Unknown_events_properties_values_and_variables_are_located_findings()
    {
        var plan = SeedPlans.Load("aurora-concierge.yaml");
        var loaded = TrafficProfileLoader.Parse(Broken, "broken.traffic.yaml");
        Assert.Empty(loaded.Diagnostics);
        var findings = TrafficProfileCheck.Check(loaded.Profile!, plan);
        var byCode = findings.ToLookup(f => f.Code);

        var unknown = Assert.Single(byCode["unknown-event"]);
        Assert.Contains("did you mean 'aurora_widget_open'", unknown.Message);
        Assert.Equal(6, unknown.Location.Line);
        Assert.Contains("did you mean 'sessionId'", Assert.Single(byCode["property-not-on-event"]).Message);
        var badEnum = Assert.Single(byCode["bad-value"]);
        Assert.Contains("'find_ring' is not one of", badEnum.Message);
        Assert.Equal(13, badEnum.Location.Line);
        Assert.Contains("$mood", Assert.Single(byCode["unknown-var"]).Message);
    }

    [Fact]
    public void Unknown_keys_bad_probabilities_and_placeholders_are_load_errors()
    {
        var loaded = TrafficProfileLoader.Parse("""
            plan: p
            sesions: 3
            actors: {identified: 1.5, anonymous_id: "a-{hax:4}"}
            flows:
              f: {steps: [{event: e, continue: 2, gap: soon}]}
            """, "bad.traffic.yaml");
        var codes = loaded.Diagnostics.Select(d => d.Code).ToList();
        Assert.Contains(loaded.Diagnostics, d => d.Code == "unknown-key" && d.Message.Contains("did you mean 'sessions'"));
        Assert.Contains(loaded.Diagnostics, d => d.Code == "bad-value" && d.Message.StartsWith("'identified' is a probability"));
        Assert.Contains(loaded.Diagnostics, d => d.Code == "bad-value" && d.Message.StartsWith("'continue' is a probability"));
        Assert.Contains(loaded.Diagnostics, d => d.Message.Contains("unknown placeholder '{hax:4}'"));
        Assert.Contains("bad-duration", codes);
    }

    [Fact]
    public void A_required_property_whose_values_cannot_be_made_up_must_be_given()
    {
        // skillforge's context_page has a pattern: the generator cannot guess a route.
        var plan = SeedPlans.Load("skillforge.yaml");
        var loaded = TrafficProfileLoader.Parse("""
            plan: skillforge
            actors: {anonymous_id: "anon-{hex:8}"}
            flows:
              f: {steps: [{event: session_started, properties: {persona: student}}]}
            """);
        var finding = Assert.Single(TrafficProfileCheck.Check(loaded.Profile!, plan));
        Assert.Equal("no-value", finding.Code);
        Assert.Contains("'context_page'", finding.Message);
    }
}
