using System.Net.Http.Headers;
using System.Text;
using Tally.Storage.ClickHouse;

/// <summary>Plain queries to the ClickHouse server outside the store: its version, the size on disk, dropping the bench database.</summary>
internal sealed class ClickHouseAdmin : IDisposable
{
    private readonly HttpClient _http;

    public ClickHouseAdmin(ClickHouseStoreUri uri)
    {
        Database = uri.Database;
        _http = new HttpClient { BaseAddress = uri.HttpBase };
        if (uri.User is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{uri.User}:{uri.Password}")));
    }

    public string Database { get; }

    public async Task<string> ScalarAsync(string sql)
    {
        using var response = await _http.PostAsync("", new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ClickHouse: {body.Trim()}");
        return body.Trim();
    }

    public async Task<string?> TryScalarAsync(string sql)
    {
        try { return await ScalarAsync(sql); }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException) { return null; }
    }

    public void Dispose() => _http.Dispose();
}
