using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Tally.Server.Observability;

/// <summary>
/// The collector's counters, rendered in the Prometheus text exposition format. prometheus-net is not available
/// here and the format is small and stable, so it is written by hand: counters keyed by their label values,
/// one histogram, and gauges read at scrape time.
/// </summary>
public sealed class TallyMetrics
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly ConcurrentDictionary<(string Environment, string Event), long> _ingested = new();
    private readonly ConcurrentDictionary<string, long> _quarantined = new();
    private readonly ConcurrentDictionary<string, long> _dropped = new();
    private readonly ConcurrentDictionary<string, long> _droppedFields = new();
    private readonly ConcurrentDictionary<(string Route, int Status), long> _requests = new();
    private readonly long[] _durationBuckets = new long[Buckets.Length + 1];
    private long _durationCount;
    private long _durationSumMicros;

    /// <summary>Gauges computed at scrape time (freshness, spool depth), registered by the parts that own them.</summary>
    public ConcurrentDictionary<string, Func<double>> Gauges { get; } = new();

    public void Ingested(string environment, string @event, long n = 1) => _ingested.AddOrUpdate((environment, @event), n, (_, v) => v + n);

    public void Quarantined(string reason) => _quarantined.AddOrUpdate(reason, 1, (_, v) => v + 1);

    public void Dropped(string reason, long n = 1) => _dropped.AddOrUpdate(reason, n, (_, v) => v + n);

    public void DroppedField(string reason, long n = 1) => _droppedFields.AddOrUpdate(reason, n, (_, v) => v + n);

    public void Request(string route, int status, TimeSpan elapsed)
    {
        _requests.AddOrUpdate((route, status), 1, (_, v) => v + 1);
        var seconds = elapsed.TotalSeconds;
        var i = 0;
        while (i < Buckets.Length && seconds > Buckets[i]) i++;
        Interlocked.Increment(ref _durationBuckets[i]);
        Interlocked.Increment(ref _durationCount);
        Interlocked.Add(ref _durationSumMicros, (long)(seconds * 1_000_000));
    }

    public long IngestedTotal => _ingested.Values.Sum();

    public long QuarantinedTotal(string reason) => _quarantined.GetValueOrDefault(reason);

    public long DroppedTotal(string reason) => _dropped.GetValueOrDefault(reason);

    public string Render()
    {
        var sb = new StringBuilder();
        Header(sb, "analytics_events_ingested_total", "counter", "Events accepted and durably stored (or counted, for aggregate-only events).");
        foreach (var ((env, evt), v) in _ingested.OrderBy(x => x.Key))
            sb.Append("analytics_events_ingested_total{environment=\"").Append(Escape(env)).Append("\",event=\"").Append(Escape(evt)).Append("\"} ").Append(v).Append('\n');
        Header(sb, "analytics_events_quarantined_total", "counter", "Events that failed the plan, by violation code.");
        foreach (var (reason, v) in _quarantined.OrderBy(x => x.Key))
            sb.Append("analytics_events_quarantined_total{reason=\"").Append(Escape(reason)).Append("\"} ").Append(v).Append('\n');
        Header(sb, "analytics_events_dropped_total", "counter", "Events dropped on purpose: opt_out, sampling, duplicate, suppressed.");
        foreach (var (reason, v) in _dropped.OrderBy(x => x.Key))
            sb.Append("analytics_events_dropped_total{reason=\"").Append(Escape(reason)).Append("\"} ").Append(v).Append('\n');
        Header(sb, "analytics_fields_dropped_total", "counter", "Properties removed before writing: undeclared data, personal context, environment-only fields.");
        foreach (var (reason, v) in _droppedFields.OrderBy(x => x.Key))
            sb.Append("analytics_fields_dropped_total{reason=\"").Append(Escape(reason)).Append("\"} ").Append(v).Append('\n');
        Header(sb, "analytics_http_requests_total", "counter", "HTTP requests by route and status.");
        foreach (var ((route, status), v) in _requests.OrderBy(x => x.Key))
            sb.Append("analytics_http_requests_total{route=\"").Append(Escape(route)).Append("\",status=\"").Append(status).Append("\"} ").Append(v).Append('\n');
        Header(sb, "analytics_http_request_duration_seconds", "histogram", "Request duration, including the durable commit.");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _durationBuckets[i]);
            sb.Append("analytics_http_request_duration_seconds_bucket{le=\"").Append(Buckets[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(cumulative).Append('\n');
        }
        sb.Append("analytics_http_request_duration_seconds_bucket{le=\"+Inf\"} ").Append(Interlocked.Read(ref _durationCount)).Append('\n');
        sb.Append("analytics_http_request_duration_seconds_sum ").Append((Interlocked.Read(ref _durationSumMicros) / 1e6).ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("analytics_http_request_duration_seconds_count ").Append(Interlocked.Read(ref _durationCount)).Append('\n');
        foreach (var (name, read) in Gauges.OrderBy(x => x.Key))
        {
            Header(sb, name, "gauge", name switch
            {
                "analytics_data_freshness_seconds" => "Age of the oldest accepted event not yet queryable in the store (0 when all are).",
                "analytics_spool_depth" => "Events in the local spool waiting to be shipped.",
                _ => name,
            });
            sb.Append(name).Append(' ').Append(read().ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, string name, string type, string help) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
