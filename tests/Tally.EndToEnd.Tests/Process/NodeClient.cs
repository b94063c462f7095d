using System.ComponentModel;
using System.Diagnostics;
using Tally.Core.Tests.Support;

namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// Runs <c>tests/Tally.EndToEnd.Tests/node/send.mjs</c>, the real <c>@segment/analytics-node</c> SDK, with node.
/// The packages are installed by <c>scripts/test</c> (<c>npm ci</c>); when they are missing the test fails and says so,
/// because a skipped client test would hide exactly the regression it exists to catch.
/// </summary>
internal static class NodeClient
{
    public static string Folder => Repo.PathOf("tests", "Tally.EndToEnd.Tests", "node");

    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    /// <summary>Fails the test, saying what to run, when <c>npm ci</c> has not installed the SDK.</summary>
    public static void EnsureInstalled()
    {
        var sdk = Path.Combine(Folder, "node_modules", "@segment", "analytics-node", "package.json");
        if (!File.Exists(sdk))
            Assert.Fail($"The Segment Node SDK is not installed in {Folder} (no node_modules). Run scripts/test, which installs node and runs 'npm ci' there.");
    }

    public static async Task<Run> SendAsync(Uri host, string writeKey, int count, string runId, TimeSpan timeout, CancellationToken ct)
    {
        EnsureInstalled();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "send.mjs", host.ToString().TrimEnd('/'), writeKey, count.ToString(System.Globalization.CultureInfo.InvariantCulture), runId })
            info.ArgumentList.Add(arg);

        using var process = new System.Diagnostics.Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"node could not be started ({e.Message}). Run scripts/test, which installs nodejs when it is missing.");
        }
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"node send.mjs did not finish within {timeout.TotalSeconds} s:\n{await stdout}\n{await stderr}");
        }
        return new Run(process.ExitCode, await stdout, await stderr);
    }
}
