using Tally.Core.Plans.Linting;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans.Linting;

/// <summary>The committed seed plans are the linter's first customers: they must pass it, or CI's <c>tally plan lint plans/*.yaml</c> fails.</summary>
public class SeedPlanLintTests
{
    public static TheoryData<string> PlanFiles => new(SeedPlans.Files);

    [Theory, MemberData(nameof(PlanFiles))]
    public void Seed_plan_lints_without_findings(string file)
    {
        var findings = PlanLinter.Default.Lint(SeedPlans.Load(file));
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }
}
