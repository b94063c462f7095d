using Tally.Core.Plans;

namespace Tally.Core.Tests.Support;

/// <summary>The seed plans committed under <c>plans/</c>, loaded the way the CLI loads them.</summary>
public static class SeedPlans
{
    /// <summary>The plan files written from the seeds (by file name under <c>plans/</c>).</summary>
    public static readonly string[] Files = ["aurora-concierge.yaml", "skillforge.yaml", "minimal-telemetry.yaml", "auterity.yaml", "support-middleware.yaml"];

    /// <summary>Loads a plan and fails the test with every diagnostic, in one-line form, if there is any.</summary>
    public static TrackingPlan Load(string file)
    {
        var result = PlanLoader.LoadFile(Repo.PathOf("plans", file));
        Assert.True(result.Diagnostics.Count == 0, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.NotNull(result.Plan);
        return result.Plan;
    }
}
