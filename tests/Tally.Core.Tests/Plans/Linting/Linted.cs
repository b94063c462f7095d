using Tally.Core.Plans;
using Tally.Core.Plans.Linting;

namespace Tally.Core.Tests.Plans.Linting;

/// <summary>Parses an inline plan the way the CLI does and lints it; fails the test if the plan itself does not load cleanly.</summary>
internal static class Linted
{
    public static IReadOnlyList<Diagnostic> All(string yaml)
    {
        var loaded = PlanLoader.Parse(yaml, "t.yaml");
        Assert.NotNull(loaded.Plan);
        Assert.True(!loaded.HasErrors, string.Join("\n", loaded.Diagnostics));
        return PlanLinter.Default.Lint(loaded.Plan);
    }

    /// <summary>Findings of one rule only, so a test is not broken by an unrelated rule's opinion of its example.</summary>
    public static IReadOnlyList<Diagnostic> Only(string code, string yaml) => All(yaml).Where(d => d.Code == code).ToList();
}
