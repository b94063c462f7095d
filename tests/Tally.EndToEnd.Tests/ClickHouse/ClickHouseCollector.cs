using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tally.EndToEnd.Tests.Process;
using Tally.EndToEnd.Tests.Support;
using Tally.Server.Ingestion;

namespace Tally.EndToEnd.Tests.ClickHouse;

/// <summary>
/// A ClickHouse server of the test's own and the real <c>tally serve</c> writing to it with its defaults for ClickHouse
/// (acknowledged after the local spool's fsync, shipped in the background). Events are posted as Segment batches whose
/// ids all start with a tag, so what reached ClickHouse is read back by id.
/// </summary>
public sealed class ClickHouseCollector : IAsyncDisposable
{
    public const string Database = "tally_e2e";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private ClickHouseCollector(ClickHouseProcess clickHouse, TallyProcess tally, HttpClient client)
    {
        ClickHouse = clickHouse;
        Tally = tally;
        Client = client;
    }

    public ClickHouseProcess ClickHouse { get; }
    public TallyProcess Tally { get; }
    /// <summary>Posts with the write key; short timeout, so a collector that stops answering fails the post, not the test run.</summary>
    public HttpClient Client { get; }

    public static async Task<ClickHouseCollector> StartAsync(string name, CancellationToken ct)
    {
        var clickHouse = new ClickHouseProcess(name);
        TallyProcess? tally = null;
        try
        {
            await clickHouse.StartAsync(ct);
            tally = await TallyProcess.StartAsync(extraArguments: ["--store", $"clickhouse://127.0.0.1:{clickHouse.HttpPort}/{Database}"], ct: ct);
            return new ClickHouseCollector(clickHouse, tally, tally.CreateWriteClient(TimeSpan.FromSeconds(10)));
        }
        catch
        {
            if (tally is not null) await tally.DisposeAsync();
            await clickHouse.DisposeAsync();
            throw;
        }
    }

    /// <summary>One POST of <paramref name="batch"/>; acknowledged only for a 2xx whose body accounts for every event, as a Segment SDK reads it.</summary>
    public async Task<(bool Acknowledged, string Outcome)> PostAsync(SegmentBatch batch, CancellationToken ct)
    {
        try
        {
            using var content = new StringContent(batch.Json, Encoding.UTF8, "application/json");
            using var response = await Client.PostAsync("/v1/batch", content, ct);
            if (!response.IsSuccessStatusCode) return (false, $"http {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            var result = await response.Content.ReadFromJsonAsync<IngestResult>(Web, ct);
            return result is { Success: true } && result.Accepted + result.Duplicates == batch.MessageIds.Count
                ? (true, "acknowledged")
                : (false, $"body: {JsonSerializer.Serialize(result, Web)}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return (false, $"connection: {e.GetType().Name} {e.Message}");
        }
    }

    public Task<Metrics> ScrapeAsync(CancellationToken ct) => Metrics.ScrapeAsync(Client, ct);

    /// <summary>How many rows of <c>events</c> each id starting with <paramref name="tag"/> has in ClickHouse.</summary>
    public async Task<Dictionary<string, long>> StoredIdsAsync(string tag, CancellationToken ct)
    {
        var lines = await ClickHouse.LinesAsync($"SELECT event_id, count() FROM events WHERE startsWith(event_id, '{tag}-') GROUP BY event_id", Database, ct);
        return lines.Select(l => l.Split('\t')).ToDictionary(f => f[0], f => long.Parse(f[1]), StringComparer.Ordinal);
    }

    /// <summary>Everything the collector and the server printed, for failure messages.</summary>
    public string Diagnostics() => $"{Tally.Output}\n--- clickhouse\n{ClickHouse.LogTail()}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Tally.DisposeAsync();
        await ClickHouse.DisposeAsync();
    }
}
