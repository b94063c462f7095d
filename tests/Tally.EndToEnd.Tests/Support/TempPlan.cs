using Tally.Core.Tests.Support;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>
/// A copy of a seed plan with edits, written to a temp file: the way a team changes its plan (a sampling rate, a
/// new enum value) before the server or a replay loads it. Each edit must match exactly once, so a seed plan that
/// changes under a test fails loudly instead of silently testing the unedited plan.
/// </summary>
public sealed class TempPlan : IDisposable
{
    private TempPlan(string path) => Path = path;

    public string Path { get; }

    public static TempPlan From(string seedFile, params (string Find, string Replace)[] edits)
    {
        var yaml = File.ReadAllText(Repo.PathOf("plans", seedFile));
        foreach (var (find, replace) in edits)
        {
            var at = yaml.IndexOf(find, StringComparison.Ordinal);
            if (at < 0 || yaml.IndexOf(find, at + 1, StringComparison.Ordinal) >= 0)
                throw new InvalidOperationException($"'{find}' must occur exactly once in {seedFile}");
            yaml = yaml.Replace(find, replace, StringComparison.Ordinal);
        }
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tally-e2e", $"plan-{Guid.NewGuid():N}.yaml");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return new TempPlan(path);
    }

    public void Dispose() => File.Delete(Path);
}
