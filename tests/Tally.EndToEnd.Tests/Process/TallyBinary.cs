using System.Reflection;
using Tally.Core.Tests.Support;

namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// Where the built <c>tally</c> CLI is and how to run it: <c>dotnet tally.dll</c>, the same host a user's
/// <c>dotnet run</c> or an installed tool uses. The test project references Tally.Cli, so its build output holds a copy
/// with its own deps and runtime config; the CLI's own bin folder of the same configuration is the fallback.
/// </summary>
internal static class TallyBinary
{
    public static string Dll { get; } = FindDll();

    public static string Dotnet { get; } = FindDotnet();

    private static string FindDll()
    {
        var here = AppContext.BaseDirectory;
        var beside = Path.Combine(here, "tally.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(here, "tally.runtimeconfig.json"))) return beside;

        var configuration = typeof(TallyBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var built = Repo.PathOf("src", "Tally.Cli", "bin", configuration, framework, "tally.dll");
        if (File.Exists(built)) return built;
        throw new InvalidOperationException($"tally.dll was not found beside the tests ({here}) nor at {built}: build Tally.slnx first (scripts/test does).");
    }

    /// <summary>The dotnet host that runs these tests, so the server runs on the same runtime.</summary>
    private static string FindDotnet()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == exe) return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, exe))) return Path.Combine(root, exe);
        // The runtime folder is DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/.
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (runtimeDir is not null)
        {
            var candidate = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", exe));
            if (File.Exists(candidate)) return candidate;
        }
        return exe;
    }
}
