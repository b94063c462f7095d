using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Tally.Core.Demo;
using Tally.Core.Plans;
using Tally.Server;
using Tally.Server.Configuration;
using Tally.Server.Endpoints;
using Tally.Server.Ingestion;
using Tally.Storage.Sqlite;

namespace Tally.Cli.Demo;

/// <summary>
/// The real collector, in-process on a free loopback port with its own SQLite store, keys and salt, and a client that
/// talks to it over HTTP the way SDKs do: Segment batches to <c>/v1/batch</c> or flat events to <c>/v1/events</c>, the
/// write key as the Basic user name.
/// </summary>
public sealed partial class DemoCollector : IAsyncDisposable
{
    /// <summary>Segment's own limit per batch is 500 KB; batches stay below it.</summary>
    private const int MaxBatchBytes = 400 * 1024;
    private const int MaxBatchEvents = 500;

    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private readonly string _writeKey;
    private readonly string _analystKey;

    private DemoCollector(TrackingPlan plan, WebApplication app, SqliteEventStore store, string writeKey, string analystKey)
    {
        Plan = plan;
        _app = app;
        Store = store;
        _writeKey = writeKey;
        _analystKey = analystKey;
        BaseAddress = new Uri(app.Urls.First());
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public TrackingPlan Plan { get; }
    public SqliteEventStore Store { get; }
    public Uri BaseAddress { get; }

    /// <summary>Where this plan's events go: the Segment batch endpoint or the plan-envelope endpoint.</summary>
    public string Endpoint => Plan.Envelope.Format == EnvelopeFormat.Segment ? "/v1/batch" : "/v1/events";

    public static async Task<DemoCollector> StartAsync(TrackingPlan plan, string dataDirectory, CancellationToken ct)
    {
        var store = new SqliteEventStore(Path.Combine(dataDirectory, "tally.db"));
        // Fresh secrets for every demo: nothing here is ever reused or written down.
        var writeKey = "wk_demo_" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        var analystKey = "ak_demo_" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        var options = new TallyServerOptions
        {
            Plan = plan,
            Store = store,
            HashSalt = RandomNumberGenerator.GetBytes(32),
            Keys = [new ApiKey(writeKey, Role.Writer), new ApiKey(analystKey, Role.Analyst)],
            Urls = "http://127.0.0.1:0",
        };
        // No log output: the demo prints its own report.
        var app = await TallyServer.BuildAsync(options, logging: _ => { });
        await app.StartAsync(ct);
        return new DemoCollector(plan, app, store, writeKey, analystKey);
    }

    /// <summary>Cuts the traffic into batches as an SDK would: by count and by size.</summary>
    public static IEnumerable<IReadOnlyList<GeneratedEvent>> Batches(IReadOnlyList<GeneratedEvent> events)
    {
        var batch = new List<GeneratedEvent>();
        var bytes = 0;
        foreach (var e in events)
        {
            if (batch.Count > 0 && (batch.Count >= MaxBatchEvents || bytes + e.Json.Length > MaxBatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(e);
            bytes += e.Json.Length + 1;
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>Posts one batch and returns the collector's answer; throws with the collector's own message on a refusal.</summary>
    public async Task<IngestResult> SendAsync(IReadOnlyList<GeneratedEvent> batch, CancellationToken ct)
    {
        var body = new StringBuilder();
        var segment = Plan.Envelope.Format == EnvelopeFormat.Segment;
        body.Append(segment ? "{\"batch\":[" : "[");
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0) body.Append(',');
            body.Append(batch[i].Json);
        }
        body.Append(']');
        // The SDK stamps the batch when it sends it; the collector corrects client clocks with it.
        if (segment) body.Append(",\"sentAt\":\"").Append(DateTime.UtcNow.ToString(PropertyValues.IsoFormat, CultureInfo.InvariantCulture)).Append("\"}");
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_writeKey + ":")));
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"the collector answered {(int)response.StatusCode} to {Endpoint}: {text}");
        return JsonSerializer.Deserialize(text, TallyServerJson.Default.IngestResult)
            ?? throw new InvalidOperationException($"the collector's answer to {Endpoint} was empty");
    }

    /// <summary><c>GET /v1/quarantine</c> with the analyst key: quarantined events grouped by reason.</summary>
    public async Task<QuarantineListing> QuarantineAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/quarantine?sample=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _analystKey);
        using var response = await _http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), TallyServerJson.Default.QuarantineListing)!;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{reason=""(?<reason>[^""]*)""\} (?<value>\d+)$", RegexOptions.Multiline)]
    private static partial Regex CounterLine();

    /// <summary>The collector's <c>/metrics</c> counters by reason: <c>analytics_events_dropped_total</c>, <c>analytics_fields_dropped_total</c>.</summary>
    public async Task<IReadOnlyDictionary<(string Metric, string Reason), long>> CountersAsync(CancellationToken ct)
    {
        var text = await _http.GetStringAsync("/metrics", ct);
        var counters = new Dictionary<(string, string), long>();
        foreach (Match m in CounterLine().Matches(text))
            counters[(m.Groups["name"].Value, m.Groups["reason"].Value)] = long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        return counters;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Store.DisposeAsync();
    }
}
