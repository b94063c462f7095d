using Tally.Core.Plans;
using Tally.Core.Plans.Linting;

namespace Tally.Core.Tests.Plans.Linting;

public class PlanLinterTests
{
    [Fact]
    public void A_realistic_clean_plan_has_no_findings()
    {
        var findings = Linted.All(CleanPlan.Yaml);
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public void Rule_codes_are_unique()
    {
        var codes = PlanLinter.DefaultRules.Select(r => r.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Fact]
    public void Every_rule_has_a_failing_example()
    {
        var codes = PlanLinter.DefaultRules.Select(r => r.Code).Order().ToList();
        Assert.Equal(codes, LintExamples.Failing.Keys.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(ExampleCodes))]
    public void Each_failing_example_triggers_its_rule(string code)
    {
        var yaml = LintExamples.Failing[code];
        var loaded = PlanLoader.Parse(yaml, "t.yaml");
        Assert.NotNull(loaded.Plan);
        var findings = loaded.Diagnostics.Concat(PlanLinter.Default.Lint(loaded.Plan)).ToList();
        Assert.Contains(findings, d => d.Code == code);
        Assert.All(findings.Where(d => d.Code == code), d => Assert.True(d.Location.Line > 0, d.ToString()));
    }

    public static TheoryData<string> ExampleCodes() => new(LintExamples.Failing.Keys);

    [Fact]
    public void Findings_come_out_in_file_order()
    {
        // Rules run in registration order (unknown-event first, retention later), but the report reads top to bottom.
        var yaml = """
            plan: t
            version: '1'
            properties:
              email: string
            events:
              a_b: {}
            funnels:
              f:
                steps: [a_b, a_c]
            """;
        var findings = Linted.All(yaml);
        Assert.Equal(["pii-unprotected", "no-retention", "unknown-event"], findings.Select(d => d.Code));
        Assert.Equal([4, 6, 9], findings.Select(d => d.Location.Line));
    }

    [Fact]
    public void A_custom_rule_list_runs_only_those_rules()
    {
        var plan = PlanLoader.Parse(LintExamples.Failing["no-retention"], "t.yaml").Plan!;
        var linter = new PlanLinter([new NamingRule()]);
        Assert.Empty(linter.Lint(plan));
        Assert.NotEmpty(PlanLinter.Default.Lint(plan));
    }
}
