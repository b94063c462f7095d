using System.Text;

namespace Tally.Storage.Tests.Support;

/// <summary>
/// The real ClickHouse server the tests run against, named by <c>TALLY_CLICKHOUSE_URL</c> (its HTTP interface, e.g.
/// <c>http://127.0.0.1:18123/</c>; <c>scripts/test</c> starts one and sets it). Without it the ClickHouse tests fail
/// rather than skip: a store that is never tested must not look green in CI.
/// </summary>
internal static class ClickHouseServer
{
    public const string Variable = "TALLY_CLICKHOUSE_URL";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The server's HTTP base address; throws with what to do when the variable is unset or not a URL.</summary>
    public static Uri Url => Resolve(Environment.GetEnvironmentVariable(Variable));

    internal static Uri Resolve(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set. The ClickHouse store tests need a real server: run scripts/test, which starts one, " +
                $"or start clickhouse-server yourself and set {Variable}=http://127.0.0.1:8123/.");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{Variable}='{value}' is not an http:// URL of a ClickHouse HTTP interface.");
        }

        return uri;
    }

    /// <summary>A database name no other test uses.</summary>
    public static string NewDatabaseName() => $"tally_test_{Guid.NewGuid():N}";

    /// <summary>Runs one statement or query and returns the TabSeparated answer; fails with the server's error text.</summary>
    public static async Task<string> QueryAsync(string sql, string? database = null)
    {
        var url = new Uri(Url, database is null ? "" : $"?database={database}");
        using var response = await Http.PostAsync(url, new StringContent(sql, Encoding.UTF8));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ClickHouse answered {(int)response.StatusCode} to '{sql}': {body}");
        }

        return body;
    }

    /// <summary>The lines of a query's answer.</summary>
    public static async Task<string[]> LinesAsync(string sql, string? database = null) =>
        (await QueryAsync(sql, database)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static Task DropDatabaseAsync(string database) => QueryAsync($"DROP DATABASE IF EXISTS {database}");
}
