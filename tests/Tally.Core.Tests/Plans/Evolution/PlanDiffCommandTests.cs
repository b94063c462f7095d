using System.Text.Json;
using Tally.Cli;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans.Evolution;

[Collection(ConsoleCollection.Name)]
public sealed class PlanDiffCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private const string Old = """
        plan: aurora
        version: '1'
        properties:
          sessionId: string
          entryPoint: string
        events:
          aurora_widget_open:
            required: [sessionId]
            optional: [entryPoint]
        """;

    public void Dispose() => _dir.Dispose();

    /// <summary>Runs <c>tally</c> in-process and returns its exit code and standard output.</summary>
    private static async Task<(int Exit, string Output)> Tally(params string[] args)
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var exit = await TallyApp.RunAsync(args);
            return (exit, captured.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public async Task Breaking_change_exits_1_with_one_located_line_per_change_and_a_summary()
    {
        var oldFile = _dir.Write("old.yaml", Old);
        var newFile = _dir.Write("new.yaml", Old.Replace("version: '1'", "version: '2'").Replace("optional: [entryPoint]", "optional: []"));
        var (exit, output) = await Tally("plan", "diff", oldFile, newFile);
        Assert.Equal(1, exit);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{oldFile}:7:3: breaking: property entryPoint of aurora_widget_open: removed", lines[0]);
        Assert.EndsWith("[property-removed]", lines[0]);
        Assert.Contains("plan diff: 1 breaking, 0 additive, 0 notes", lines);
        Assert.Contains(lines, l => l.Contains("mw_events_v2") && l.Contains("additive"));
    }

    [Fact]
    public async Task Additive_changes_only_exit_0()
    {
        var oldFile = _dir.Write("old.yaml", Old);
        var newFile = _dir.Write("new.yaml", Old + "\n  aurora_widget_open_v2:\n    required: [sessionId]\n");
        var (exit, output) = await Tally("plan", "diff", oldFile, newFile);
        Assert.Equal(0, exit);
        Assert.Contains($"{newFile}:10:3: additive: event aurora_widget_open_v2: new event", output);
        Assert.Contains("plan diff: 0 breaking, 1 additive, 0 notes", output);
    }

    [Fact]
    public async Task Identical_plans_exit_0_and_say_so()
    {
        var file = _dir.Write("plan.yaml", Old);
        var (exit, output) = await Tally("plan", "diff", file, file);
        Assert.Equal(0, exit);
        Assert.Equal("plan diff: no changes", output.Trim());
    }

    [Fact]
    public async Task Unreadable_plan_exits_2_with_located_one_line_errors()
    {
        var oldFile = _dir.Write("old.yaml", Old);
        var newFile = _dir.Write("new.yaml", Old.Replace("optional:", "optionl:"));
        var (exit, output) = await Tally("plan", "diff", oldFile, newFile);
        Assert.Equal(2, exit);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{newFile}:9:5: error: unknown key 'optionl'", lines[0]);
        Assert.Contains("cannot compare", lines[^1]);
    }

    [Fact]
    public async Task Missing_file_exits_2()
    {
        var oldFile = _dir.Write("old.yaml", Old);
        var (exit, output) = await Tally("plan", "diff", oldFile, Path.Combine(_dir.Path, "missing.yaml"));
        Assert.Equal(2, exit);
        Assert.Contains("missing.yaml:0:0: error: cannot read plan", output);
    }

    [Fact]
    public async Task Json_format_lists_each_change_with_its_kind_code_and_location()
    {
        var oldFile = _dir.Write("old.yaml", Old);
        var newFile = _dir.Write("new.yaml", Old.Replace("  entryPoint: string", "  entryPoint: integer"));
        var (exit, output) = await Tally("plan", "diff", oldFile, newFile, "--format", "json");
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        var change = Assert.Single(root.GetProperty("changes").EnumerateArray(), c => c.GetProperty("code").GetString() == "type-changed");
        Assert.Equal("breaking", change.GetProperty("kind").GetString());
        Assert.Equal("shared property entryPoint", change.GetProperty("subject").GetString());
        Assert.Equal(newFile, change.GetProperty("file").GetString());
        Assert.Equal(5, change.GetProperty("line").GetInt32());
        Assert.Contains("'aurora_widget_open_v2'", change.GetProperty("message").GetString());
        Assert.True(root.GetProperty("summary").GetProperty("breaking").GetInt32() >= 1);
        Assert.Empty(root.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Json_format_reports_load_errors_and_exits_2()
    {
        var oldFile = _dir.Write("old.yaml", "plan: x\nversion: '1'\nevents:\n  a: [unclosed\n");
        var newFile = _dir.Write("new.yaml", Old);
        var (exit, output) = await Tally("plan", "diff", oldFile, newFile, "--format", "json");
        Assert.Equal(2, exit);
        using var doc = JsonDocument.Parse(output);
        var error = Assert.Single(doc.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("yaml-syntax", error.GetProperty("code").GetString());
        Assert.Equal(oldFile, error.GetProperty("file").GetString());
    }
}
