namespace Tally.Core.Tests.Support;

/// <summary>Finds files of the repository from wherever the test binaries run, so tests never hold absolute paths.</summary>
public static class Repo
{
    private static readonly Lazy<string> RootDirectory = new(FindRoot);

    /// <summary>The folder that holds <c>Tally.slnx</c>.</summary>
    public static string Root => RootDirectory.Value;

    /// <summary>A path relative to the repository root, e.g. <c>Repo.File("plans", "auterity.yaml")</c>.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Tally.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Tally.slnx above {AppContext.BaseDirectory}");
    }
}
