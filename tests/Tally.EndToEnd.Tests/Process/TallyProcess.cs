using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Tally.Core.Tests.Support;

namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// The real <c>tally serve</c> as a child process on a free loopback port with its own data directory. It can be
/// killed with SIGKILL (<see cref="System.Diagnostics.Process.Kill()"/> sends it on Linux: no shutdown hook runs) and
/// started again on the same data directory and port, as a supervisor would after a crash. Everything the server
/// prints is kept in <see cref="Output"/> for failure messages.
/// </summary>
public sealed class TallyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private readonly bool _ownsDataDirectory;
    private System.Diagnostics.Process? _process;
    private int _starts;

    private TallyProcess(string planPath, string dataDirectory, bool ownsDataDirectory, int port, IReadOnlyList<string> extraArguments)
    {
        PlanPath = planPath;
        ExtraArguments = extraArguments;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string PlanPath { get; }
    /// <summary>Arguments added to <c>tally serve</c>'s on every start, e.g. <c>--store clickhouse://...</c>.</summary>
    public IReadOnlyList<string> ExtraArguments { get; }
    public string DataDirectory { get; }
    public int Port { get; }
    public Uri BaseAddress { get; }
    public string WriteKey { get; } = "wk_e2e_" + Guid.NewGuid().ToString("N")[..8];
    public string AnalystKey { get; } = "ak_e2e_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The default store file <c>tally serve</c> opens in its data directory.</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "tally.db");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the server wrote to stdout and stderr, across restarts.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts <c>tally serve</c> for <paramref name="planFile"/> (under <c>plans/</c>) in a new temporary data directory.</summary>
    public static async Task<TallyProcess> StartAsync(string planFile = "aurora-concierge.yaml", IReadOnlyList<string>? extraArguments = null, CancellationToken ct = default)
    {
        var data = Directory.CreateTempSubdirectory("tally-e2e-").FullName;
        var server = new TallyProcess(Repo.PathOf("plans", planFile), data, ownsDataDirectory: true, FreePort.Next(), extraArguments ?? []);
        try
        {
            await server.RestartAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same data directory and port and waits until <c>/healthz</c> answers.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        if (IsRunning) throw new InvalidOperationException("tally is still running; Kill() it first");
        _process?.Dispose();
        var info = new ProcessStartInfo(TallyBinary.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        foreach (var arg in new[] { TallyBinary.Dll, "serve", "--plan", PlanPath, "--data", DataDirectory, "--urls", BaseAddress.ToString().TrimEnd('/') }.Concat(ExtraArguments))
            info.ArgumentList.Add(arg);
        info.Environment["TALLY_WRITE_KEYS"] = $"{WriteKey}:production";
        info.Environment["TALLY_ANALYST_KEYS"] = AnalystKey;
        info.Environment["TALLY_HASH_SALT"] = "e2e-process-salt";
        // Workstation GC: the machine has two cores and the tests run beside the server.
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var start = ++_starts;
        Append($"--- start {start}: {info.FileName} {string.Join(' ', info.ArgumentList)}");
        var process = new System.Diagnostics.Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Append($"[{start} out] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Append($"[{start} err] {e.Data}"); };
        if (!process.Start()) throw new InvalidOperationException("tally did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilHealthyAsync(process, ct);
    }

    /// <summary>SIGKILL: the process ends at once, mid-request and mid-commit, with no chance to flush anything.</summary>
    public void Kill()
    {
        var process = _process ?? throw new InvalidOperationException("tally was never started");
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        Append($"--- killed (exit code {process.ExitCode})");
    }

    /// <summary>A client with this server's address and the write key as the HTTP Basic user name, as Segment SDKs send it.</summary>
    public HttpClient CreateWriteClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(15),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
        if (_ownsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing a test over.
            }
        }
    }

    private async Task WaitUntilHealthyAsync(System.Diagnostics.Process process, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(ct);
                throw new InvalidOperationException($"tally serve exited with code {process.ExitCode} before it was healthy:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync("/healthz", ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Listening but slow to answer while starting.
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"tally serve was not healthy on {BaseAddress} within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private void Append(string line)
    {
        lock (_output) _output.AppendLine(line);
    }
}
