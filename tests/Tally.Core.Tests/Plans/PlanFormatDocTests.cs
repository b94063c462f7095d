using System.Text.RegularExpressions;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>The examples in docs/plan-format.md are read by the real loader, so the documentation cannot drift from it.</summary>
public class PlanFormatDocTests
{
    public static TheoryData<int, string> Examples()
    {
        var doc = File.ReadAllText(Repo.PathOf("docs", "plan-format.md"));
        var data = new TheoryData<int, string>();
        var n = 0;
        foreach (Match m in Regex.Matches(doc, "```yaml\n(.*?)```", RegexOptions.Singleline)) data.Add(++n, m.Groups[1].Value);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_yaml_example_in_the_plan_format_doc_loads_without_a_diagnostic(int example, string yaml)
    {
        var result = Load(example, yaml);
        Assert.True(result.Diagnostics.Count == 0, $"example {example}:\n{yaml}\n{string.Join("\n", result.Diagnostics)}");
    }

    [Fact]
    public void The_doc_has_an_example_of_every_kpi_kind()
    {
        var shown = Examples().SelectMany(e => Load(e.Data.Item1, e.Data.Item2).Plan?.Kpis ?? []).Select(k => k.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<KpiKind>().ToHashSet(), shown);
    }

    /// <summary>Most examples show one section; those get the two keys every plan needs.</summary>
    private static PlanLoadResult Load(int example, string yaml)
    {
        var plan = Regex.IsMatch(yaml, "^plan:", RegexOptions.Multiline) ? yaml : "plan: example\nversion: '1'\n" + yaml;
        return PlanLoader.Parse(plan, $"example-{example}.yaml");
    }
}
