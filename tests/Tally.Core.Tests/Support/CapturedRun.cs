using Tally.Cli;

namespace Tally.Core.Tests.Support;

/// <summary>What one run of the <c>tally</c> command tree printed and returned.</summary>
public sealed record CapturedRun(int ExitCode, string Out, string Error)
{
    public IReadOnlyList<string> OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <c>tally</c> in-process as Program.cs does, capturing the console. Only for tests in <see cref="ConsoleCollection"/>.</summary>
    public static async Task<CapturedRun> Tally(params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await TallyApp.RunAsync(args);
            return new CapturedRun(code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
