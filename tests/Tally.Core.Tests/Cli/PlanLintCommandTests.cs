using System.Text.Json;
using System.Text.RegularExpressions;
using Tally.Core.Tests.Plans.Linting;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed partial class PlanLintCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tally-lint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"^(?<file>.+):(?<line>\d+):(?<column>\d+): (?<severity>error|warning): (?<message>.+) \[(?<code>[a-z-]+)\]$")]
    private static partial Regex OneLine();

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string Broken = """
        plan: t
        version: '1'
        defaults: {retention: 30d}
        properties:
          email: string
        events:
          widget_open: {}
        funnels:
          f: {steps: [widget_open, widget_opn]}
        """;

    [Fact]
    public async Task Clean_plan_prints_nothing_and_exits_0()
    {
        var run = await CapturedRun.Tally("plan", "lint", Write("clean.yaml", CleanPlan.Yaml));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("0 errors, 0 warnings in 1 plan", run.Error.Trim());
    }

    [Fact]
    public async Task Findings_are_one_line_each_and_errors_exit_1()
    {
        var path = Write("broken.yaml", Broken);
        var run = await CapturedRun.Tally("plan", "lint", path);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.OutLines.Count);
        Assert.All(run.OutLines, l => Assert.Matches(OneLine(), l));
        Assert.StartsWith($"{path}:5:3: error: property 'email' looks like an email address", run.OutLines[0]);
        Assert.EndsWith("[pii-unprotected]", run.OutLines[0]);
        Assert.StartsWith($"{path}:9:", run.OutLines[1]);
        Assert.Contains("did you mean 'widget_open'? [unknown-event]", run.OutLines[1]);
        Assert.Equal("2 errors, 0 warnings in 1 plan", run.Error.Trim());
    }

    [Fact]
    public async Task Warnings_alone_exit_0()
    {
        var path = Write("warn.yaml", "plan: t\nversion: '1'\ndefaults: {retention: 30d, archive_after: 30d}\nevents:\n  a_b: {}\n");
        var run = await CapturedRun.Tally("plan", "lint", path);
        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.OutLines);
        Assert.Equal("warning", OneLine().Match(line).Groups["severity"].Value);
        Assert.Equal("0 errors, 1 warning in 1 plan", run.Error.Trim());
    }

    [Fact]
    public async Task Json_output_is_an_array_of_findings()
    {
        var path = Write("broken.yaml", Broken);
        var run = await CapturedRun.Tally("plan", "lint", path, "--format", "json");
        Assert.Equal(1, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var first = items[0];
        Assert.Equal(path, first.GetProperty("file").GetString());
        Assert.Equal(5, first.GetProperty("line").GetInt32());
        Assert.Equal(3, first.GetProperty("column").GetInt32());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal("pii-unprotected", first.GetProperty("code").GetString());
        Assert.StartsWith("property 'email'", first.GetProperty("message").GetString());
        Assert.Equal("unknown-event", items[1].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Json_output_of_a_clean_plan_is_an_empty_array()
    {
        var run = await CapturedRun.Tally("plan", "lint", "--format", "json", Write("clean.yaml", CleanPlan.Yaml));
        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(0, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Malformed_yaml_is_a_located_error_without_a_stack_trace()
    {
        var path = Write("bad.yaml", "plan: x\nversion: '1'\nevents:\n  a: [unclosed\n");
        var run = await CapturedRun.Tally("plan", "lint", path);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.OutLines);
        Assert.Matches(OneLine(), line);
        Assert.StartsWith($"{path}:", line);
        Assert.Contains(": error: malformed YAML", line);
        Assert.DoesNotContain("   at ", run.Out + run.Error);
        Assert.DoesNotContain("Exception", run.Out + run.Error);
    }

    [Fact]
    public async Task Missing_file_is_a_located_error_and_other_plans_are_still_linted()
    {
        var missing = Path.Combine(_dir, "nope.yaml");
        var run = await CapturedRun.Tally("plan", "lint", missing, Write("clean.yaml", CleanPlan.Yaml));
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.OutLines);
        Assert.StartsWith($"{missing}:", line);
        Assert.EndsWith("[unreadable]", line);
        Assert.DoesNotContain("   at ", run.Out + run.Error);
        Assert.Equal("1 error, 0 warnings in 2 plans", run.Error.Trim());
    }

    [Fact]
    public async Task Demo_traffic_profiles_beside_the_plans_are_skipped_not_linted_as_plans()
    {
        // `tally plan lint plans/*.yaml` matches plans/NAME.traffic.yaml too.
        var profile = Write("clean.traffic.yaml", "plan: t\nflows: {f: {steps: [a_b]}}\n");
        var run = await CapturedRun.Tally("plan", "lint", Write("clean.yaml", CleanPlan.Yaml), profile);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("0 errors, 0 warnings in 1 plan (1 traffic profile skipped)", run.Error.Trim());
    }

    [Fact]
    public async Task Unknown_format_is_refused()
    {
        var run = await CapturedRun.Tally("plan", "lint", "--format", "xml", Write("clean.yaml", CleanPlan.Yaml));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'xml'", run.Error);
        Assert.DoesNotContain("in 1 plan", run.Error); // nothing was linted
    }
}
