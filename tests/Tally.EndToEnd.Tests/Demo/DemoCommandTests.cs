using System.Text.RegularExpressions;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Process;

namespace Tally.EndToEnd.Tests.Demo;

/// <summary>
/// The README's first command, run as a user runs it: the real <c>tally</c> binary starts its collector, sends
/// generated traffic over HTTP and prints the plan's analytics, for every seed plan.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class DemoCommandTests
{
    public static TheoryData<string> Plans => new("aurora-concierge.yaml", "skillforge.yaml", "auterity.yaml", "support-middleware.yaml", "minimal-telemetry.yaml");

    [GeneratedRegex(@"^\s*quarantined\s*│\s*(?<n>[\d,]+)\s*│", RegexOptions.Multiline)]
    private static partial Regex QuarantinedLine();

    [GeneratedRegex(@"^\s*accepted\s*│\s*(?<n>[\d,]+)\s*│", RegexOptions.Multiline)]
    private static partial Regex AcceptedLine();

    private static long Number(Regex line, DemoRun run) =>
        long.Parse(line.Match(run.Out) is { Success: true } m ? m.Groups["n"].Value.Replace(",", "") : throw new Xunit.Sdk.XunitException($"no such line:\n{run}"));

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task Demo_of_every_seed_plan_exits_0_and_shows_each_of_its_funnels_kpis_attributions_and_journeys(string planFile)
    {
        var plan = PlanLoader.LoadFile(Repo.PathOf("plans", planFile)).GetPlanOrThrow();
        var run = await DemoRun.StartAsync(Repo.Root, "--plan", Repo.PathOf("plans", planFile), "--sessions", "200");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Error.Length == 0, run.ToString());
        var names = plan.Funnels.Select(f => f.Name).Concat(plan.Kpis.Select(k => k.Name))
            .Concat(plan.Attributions.Select(a => a.Name)).Concat(plan.Journeys.Select(j => j.Name));
        foreach (var name in names) Assert.True(run.Out.Contains(name, StringComparison.Ordinal), $"'{name}' is not in the output:\n{run}");
        // The collector really received, stored and quarantined events, and kept no planted personal data in its events.
        Assert.True(Number(AcceptedLine(), run) > 0, run.ToString());
        Assert.True(Number(QuarantinedLine(), run) > 0, run.ToString());
        Assert.Contains("Quarantine by reason", run.Out);
        Assert.DoesNotContain("in stored events and", run.Out);
        Assert.DoesNotContain("\u001b[", run.Out); // no colour codes in a pipe
    }

    [Fact]
    public async Task Without_options_the_demo_shows_aurora_from_the_repository_root()
    {
        var run = await DemoRun.StartAsync(Repo.Root, "--sessions", "60", "--seed", "3");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("plan aurora-concierge", run.Out);
        Assert.Contains("product_engagement", run.Out);
    }

    [Fact]
    public async Task The_full_default_demo_finishes_in_under_30_seconds()
    {
        var run = await DemoRun.StartAsync(Repo.Root);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("2,000 flows", run.Out);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), $"took {run.Elapsed.TotalSeconds:0.0}s");
    }

    [Fact]
    public async Task A_missing_plan_is_a_one_line_error_and_exit_1()
    {
        var dir = Directory.CreateTempSubdirectory("tally-demo-e2e-").FullName;
        try
        {
            var run = await DemoRun.StartAsync(dir, "--plan", "nope.yaml");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("no plan at", run.Error);
            Assert.DoesNotContain("   at ", run.Error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_data_directory_keeps_the_store_after_the_demo()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tally-demo-e2e-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = await DemoRun.StartAsync(Repo.Root, "--plan", Repo.PathOf("plans", "minimal-telemetry.yaml"), "--sessions", "30", "--data", dir);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(File.Exists(Path.Combine(dir, "tally.db")));
            var again = await DemoRun.StartAsync(Repo.Root, "--plan", Repo.PathOf("plans", "minimal-telemetry.yaml"), "--data", dir);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already holds a store", again.Error);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
