using System.Diagnostics;
using Tally.EndToEnd.Tests.Process;

namespace Tally.EndToEnd.Tests.Demo;

/// <summary>One run of the real <c>tally demo</c> binary: its exit code and everything it printed.</summary>
internal sealed record DemoRun(int ExitCode, string Out, string Error, TimeSpan Elapsed)
{
    public static async Task<DemoRun> StartAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(TallyBinary.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(TallyBinary.Dll);
        info.ArgumentList.Add("demo");
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("tally did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tally demo {string.Join(' ', args)} did not finish in 2 minutes:\n{await stdout}\n{await stderr}");
        }
        return new DemoRun(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0}s\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
