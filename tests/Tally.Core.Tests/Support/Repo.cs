namespace Tally.Core.Tests.Support;

/// <summary>
/// Finds files of the repository from the test's output folder, so tests do not depend on the working directory
/// or on where the repository was cloned.
/// </summary>
public static class Repo
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding <c>Tally.slnx</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path inside the repository, e.g. <c>Repo.PathOf("plans", "skillforge.yaml")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Same as <see cref="PathOf"/>.</summary>
    public static string File(params string[] parts) => PathOf(parts);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Tally.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Tally.slnx above {AppContext.BaseDirectory}");
    }
}
