namespace Tally.Core.Tests.Support;

/// <summary>Finds files of the repository from a test run: walks up from the test binaries to the folder holding Tally.slnx.</summary>
public static class Repo
{
    private static readonly Lazy<string> RootDirectory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Tally.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Tally.slnx above {AppContext.BaseDirectory}");
    });

    public static string Root => RootDirectory.Value;

    /// <summary>A path under the repository root, e.g. <c>Repo.Path("plans", "tally-plan.schema.json")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
