using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse.Http;

/// <summary>
/// ClickHouse's HTTP interface with nothing but <see cref="HttpClient"/>: statements as POST bodies, inserts as
/// JSONEachRow bodies with the INSERT in the URL, queries answered in TabSeparated, and id lists sent as external
/// tables. A 200 answer to an INSERT means its rows are written; any other status carries the server's error text.
/// </summary>
internal sealed class ClickHouseHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _baseUri;
    private readonly string _settings;

    /// <param name="settings">Server settings sent with every request as URL parameters (names and values are ours, not user input).</param>
    public ClickHouseHttp(Uri baseUri, string database, string? user, string? password, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        _baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        Database = SqlLiteral.Identifier(database);
        _settings = string.Concat((settings ?? new Dictionary<string, string>()).Select(s => $"{Uri.EscapeDataString(s.Key)}={Uri.EscapeDataString(s.Value)}&"));
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            // Mutations and large inserts can take a while; callers cancel through their token.
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (!string.IsNullOrEmpty(user))
        {
            // Basic authentication works on every version; the X-ClickHouse-User headers came later than 18.16.
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    public string Database { get; }

    /// <summary>The server's HTTP address, for messages.</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>Runs a statement that returns nothing (DDL, ALTER, INSERT ... VALUES).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct, bool inDatabase = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(inDatabase, query: null)) { Content = Utf8(sql) };
        using var response = await SendAsync(request, sql, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    /// <summary>Inserts a JSONEachRow body into <paramref name="table"/>; the rows are written when this returns.</summary>
    public async Task InsertAsync(string table, JsonEachRow rows, CancellationToken ct)
    {
        var sql = $"INSERT INTO {table} FORMAT JSONEachRow";
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(inDatabase: true, query: sql))
        {
            Content = new ReadOnlyMemoryContent(rows.Written),
        };
        using var response = await SendAsync(request, sql, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    /// <summary>Runs a query and returns every row, each as its <paramref name="columns"/> unescaped fields.</summary>
    public async Task<List<string[]>> QueryAsync(string sql, int columns, CancellationToken ct, params ExternalTable[] tables)
    {
        var rows = new List<string[]>();
        await foreach (var row in StreamAsync(sql, columns, ct, tables).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Runs a query and yields its rows as they arrive, so a large read is never held in memory whole.</summary>
    public async IAsyncEnumerable<string[]> StreamAsync(string sql, int columns, [EnumeratorCancellation] CancellationToken ct, params ExternalTable[] tables)
    {
        var text = sql + "\nFORMAT TabSeparated";
        using var request = tables.Length == 0
            ? new HttpRequestMessage(HttpMethod.Post, Url(inDatabase: true, query: null)) { Content = Utf8(text) }
            : WithExternalTables(text, tables);
        using var response = await SendAsync(request, sql, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            yield return TabSeparated.Fields(line, columns);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// Each table is a file field named after it, described by URL parameters. The query is a form field rather than a
    /// URL parameter, so a long query (analytics SQL runs to many kilobytes) meets no URL length limit; 18.16 and current
    /// releases both read <c>query</c> from a multipart form.
    /// </summary>
    private HttpRequestMessage WithExternalTables(string sql, ExternalTable[] tables)
    {
        var url = new StringBuilder(Url(inDatabase: true, query: null).AbsoluteUri);
        var form = new MultipartFormDataContent { { new StringContent(sql, Encoding.UTF8), "query" } };
        foreach (var table in tables)
        {
            url.Append('&').Append(table.Name).Append("_structure=").Append(Uri.EscapeDataString(table.Structure))
               .Append('&').Append(table.Name).Append("_format=JSONEachRow");
            form.Add(new ReadOnlyMemoryContent(table.Rows), table.Name, table.Name);
        }

        return new HttpRequestMessage(HttpMethod.Post, new Uri(url.ToString())) { Content = form };
    }

    private Uri Url(bool inDatabase, string? query)
    {
        var url = new StringBuilder(_baseUri.AbsoluteUri).Append('?').Append(_settings);
        if (inDatabase)
        {
            url.Append("database=").Append(Database).Append('&');
        }

        if (query is not null)
        {
            url.Append("query=").Append(Uri.EscapeDataString(query)).Append('&');
        }

        return new Uri(url.ToString(0, url.Length - 1));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string sql, HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ClickHouseException($"ClickHouse at {_baseUri} is unreachable: {e.Message}", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var error = (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim();
            throw new ClickHouseException($"ClickHouse answered {(int)response.StatusCode}: {error}\nin: {Shorten(sql)}");
        }
    }

    private static StringContent Utf8(string sql) => new(sql, Encoding.UTF8, "text/plain");

    private static string Shorten(string sql) => sql.Length <= 500 ? sql : sql[..500] + "…";
}
