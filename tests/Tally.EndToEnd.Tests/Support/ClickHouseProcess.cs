using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>
/// A ClickHouse server of the test's own, as <c>scripts/test</c> starts one: <c>clickhouse-server --config-file=...</c>
/// with a generated config on free loopback ports and a temporary data directory, run as a plain child process. It can
/// be stopped with SIGKILL (<see cref="Kill"/>) or SIGTERM (<see cref="TerminateAsync"/>) and started again on the same
/// ports and data, as an operator restarting it would. Ports are chosen when the object is made, before it starts, so
/// a <c>remote_servers</c> section naming several servers can be written into each one's config (<see cref="ExtraXml"/>).
/// Without clickhouse-server installed it fails and says how to get it: these tests never skip.
/// </summary>
public sealed class ClickHouseProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private System.Diagnostics.Process? _process;
    private int _starts;

    public ClickHouseProcess(string name)
    {
        Name = name;
        Directory = System.IO.Directory.CreateTempSubdirectory($"tally-clickhouse-{name}-").FullName;
        HttpPort = FreePort();
        TcpPort = FreePort();
        InterserverPort = FreePort();
    }

    public string Name { get; }

    /// <summary>The temporary folder holding the config, the data and the logs; deleted on dispose.</summary>
    public string Directory { get; }

    public int HttpPort { get; }
    public int TcpPort { get; }
    public int InterserverPort { get; }

    /// <summary>The HTTP interface, e.g. <c>http://127.0.0.1:34567/</c>.</summary>
    public Uri HttpUrl => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>XML put inside the config's root element on every start (e.g. a <c>&lt;remote_servers&gt;</c> section).</summary>
    public string ExtraXml { get; set; } = "";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the server (again, after a stop: same ports, same data) and waits until it answers <c>/ping</c>.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (IsRunning) throw new InvalidOperationException($"clickhouse {Name} is running already");
        _process?.Dispose();
        WriteConfig();
        var (file, args) = ServerCommand();
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            // Anything the server writes relative to its working directory lands in the temporary folder.
            WorkingDirectory = Directory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.ArgumentList.Add($"--config-file={ConfigPath}");
        var start = ++_starts;
        var process = new System.Diagnostics.Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) AppendLog($"[{start} out] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) AppendLog($"[{start} err] {e.Data}"); };
        if (!process.Start()) throw new InvalidOperationException($"clickhouse {Name} did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"clickhouse {Name} exited with code {process.ExitCode} while starting:\n{LogTail()}");
            try
            {
                if ((await Http.GetStringAsync(new Uri(HttpUrl, "ping"), ct)).Trim() == "Ok.") return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50, ct);
        }
        throw new TimeoutException($"clickhouse {Name} did not answer on port {HttpPort} within {StartTimeout.TotalSeconds} s:\n{LogTail()}");
    }

    /// <summary>SIGKILL: the server ends at once, mid-query and mid-insert.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }
    }

    /// <summary>SIGTERM: the server's own shutdown (it finishes the queries it is running), then waits for it to exit.</summary>
    public async Task TerminateAsync(CancellationToken ct = default)
    {
        if (_process is not { HasExited: false } p) return;
        if (SendSignal(p.Id, SigTerm) != 0) throw new InvalidOperationException($"could not send SIGTERM to clickhouse {Name} (pid {p.Id})");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            p.Kill();
            throw new TimeoutException($"clickhouse {Name} did not stop within 30 s of SIGTERM:\n{LogTail()}");
        }
    }

    /// <summary>Runs one statement or query over HTTP and returns the TabSeparated answer; fails with the server's error text.</summary>
    public async Task<string> QueryAsync(string sql, string? database = null, CancellationToken ct = default)
    {
        var url = new Uri(HttpUrl, database is null ? "" : $"?database={database}");
        using var response = await Http.PostAsync(url, new StringContent(sql, Encoding.UTF8), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"clickhouse {Name} answered {(int)response.StatusCode} to '{sql}': {body}");
        return body;
    }

    /// <summary>The lines of a query's answer.</summary>
    public async Task<string[]> LinesAsync(string sql, string? database = null, CancellationToken ct = default) =>
        (await QueryAsync(sql, database, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The last lines of the server's logs, for failure messages.</summary>
    public string LogTail(int lines = 20)
    {
        var text = new StringBuilder();
        foreach (var file in new[] { "server.err.log", "console.log" })
        {
            var path = Path.Combine(Directory, "log", file);
            if (!File.Exists(path)) continue;
            string[] all;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                all = reader.ReadToEnd().Split('\n');
            }
            catch (IOException)
            {
                continue;
            }
            text.AppendLine($"--- {file}");
            foreach (var line in all.TakeLast(lines)) text.AppendLine(line);
        }
        return text.ToString();
    }

    /// <summary>
    /// A <c>remote_servers</c> section with one shard per server (one replica each), to pass as <see cref="ExtraXml"/>
    /// to every one of them.
    /// </summary>
    public static string RemoteServers(string cluster, params ClickHouseProcess[] shards)
    {
        var xml = new StringBuilder($"<remote_servers><{cluster}>");
        foreach (var shard in shards)
            xml.Append($"<shard><replica><host>127.0.0.1</host><port>{shard.TcpPort}</port></replica></shard>");
        return xml.Append($"</{cluster}></remote_servers>").ToString();
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
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing a test over.
        }
    }

    private string ConfigPath => Path.Combine(Directory, "config.xml");

    private void WriteConfig()
    {
        var d = Directory;
        foreach (var sub in new[] { "data/tmp", "data/user_files", "data/format_schemas", "log" })
            System.IO.Directory.CreateDirectory(Path.Combine(d, sub));
        // <yandex> is the root element 18.16 (Debian's package) knows; current releases still accept it.
        File.WriteAllText(ConfigPath, $"""
            <?xml version="1.0"?>
            <yandex>
              <logger>
                <level>warning</level>
                <log>{d}/log/server.log</log>
                <errorlog>{d}/log/server.err.log</errorlog>
                <console>0</console>
              </logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>{HttpPort}</http_port>
              <tcp_port>{TcpPort}</tcp_port>
              <interserver_http_port>{InterserverPort}</interserver_http_port>
              <interserver_http_host>127.0.0.1</interserver_http_host>
              <path>{d}/data/</path>
              <tmp_path>{d}/data/tmp/</tmp_path>
              <user_files_path>{d}/data/user_files/</user_files_path>
              <format_schema_path>{d}/data/format_schemas/</format_schema_path>
              <users_config>{d}/users.xml</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size>
              <max_concurrent_queries>100</max_concurrent_queries>
              <!-- On SIGTERM the server waits for open keep-alive connections to go idle (10 s by default), and a busy
                   client's never do: a short timeout keeps a graceful stop in a test to seconds. -->
              <keep_alive_timeout>1</keep_alive_timeout>
              {ExtraXml}
            </yandex>
            """);
        File.WriteAllText(Path.Combine(d, "users.xml"), """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default></default></profiles>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
              </users>
              <quotas><default></default></quotas>
            </yandex>
            """);
    }

    private void AppendLog(string line)
    {
        lock (this) File.AppendAllText(Path.Combine(Directory, "log", "console.log"), line + "\n");
    }

    /// <summary><c>clickhouse-server</c>, or the single <c>clickhouse</c> binary of newer packages with <c>server</c>.</summary>
    private static (string File, string[] Args) ServerCommand()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin"]).ToList();
        foreach (var dir in dirs)
            if (File.Exists(Path.Combine(dir, "clickhouse-server"))) return (Path.Combine(dir, "clickhouse-server"), []);
        foreach (var dir in dirs)
            if (File.Exists(Path.Combine(dir, "clickhouse"))) return (Path.Combine(dir, "clickhouse"), ["server"]);
        throw new InvalidOperationException(
            "clickhouse-server is not installed, and these tests start their own servers: run scripts/test, which installs it, " +
            "or apt-get install clickhouse-server.");
    }

    /// <summary>A loopback port nobody listens on right now, chosen by the kernel.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // DllImport rather than LibraryImport: the generated stub of the latter needs unsafe code enabled in the project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
