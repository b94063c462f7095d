using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Server.Governance;
using Tally.Storage.Sqlite;

namespace Tally.EndToEnd.Tests.Governance;

/// <summary>Seed 003's export: sanitized gzip JSON lines in the Hive layout, never-exported fields left out, re-runs idempotent.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Base = new(2026, 11, 20, 13, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tally-export-");
    private SqliteEventStore _store = null!;
    private TrackingPlan _plan = null!;

    private string Root => Path.Combine(_dir.FullName, "out");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteEventStore.OpenAsync(Path.Combine(_dir.FullName, "tally.db"), Ct);
        _plan = PlanLoader.LoadFile(Tally.Core.Tests.Support.Repo.PathOf("plans", "support-middleware.yaml")).GetPlanOrThrow();
        var pipeline = new EventPipeline(_plan, new PipelineOptions { HashSalt = "export-test-salt"u8.ToArray(), MaxPastAge = TimeSpan.FromDays(3650) }, new OptOutRegistry());
        var accepted = new List<CollectedEvent>();
        for (var i = 0; i < 60; i++)
        {
            var ts = Base.AddMinutes(i * 7); // spans about 7 hours
            var env = i % 3 == 0 ? "staging" : "prod";
            var json = $$"""
                {"event":"mw_ticket_received","ts":"{{ts:O}}","env":"{{env}}","ticket_id":"T-{{i}}","mw_trace_id":"tr-{{i}}","channel":"email",
                 "message_text":"Hello, my card 4111 1111 1111 1111 was charged twice","customer_email":"cust{{i}}@example.com","tracking_url":"https://track.example/abc{{i}}"}
                """;
            using var doc = JsonDocument.Parse(json);
            var outcome = pipeline.Process(doc.RootElement, new IngestContext(Base.AddHours(8), "test"));
            accepted.Add(Assert.IsType<PipelineOutcome.Accepted>(outcome).Event);
        }
        await _store.WriteAsync(new WriteBatch(accepted, [], []), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private List<(string Path, JsonElement Row)> ReadExport()
    {
        var rows = new List<(string, JsonElement)>();
        foreach (var file in Directory.GetFiles(Root, "*.json.gz", SearchOption.AllDirectories))
        {
            using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var reader = new StreamReader(gz, Encoding.UTF8);
            while (reader.ReadLine() is { Length: > 0 } line)
                rows.Add((Path.GetRelativePath(Root, file), JsonDocument.Parse(line).RootElement.Clone()));
        }
        return rows;
    }

    [Fact]
    public async Task Export_writes_every_row_once_in_its_hive_partition_without_never_exported_fields()
    {
        var exporter = new EventExporter(_store, _plan);
        var report = await exporter.ExportAsync(Root, Base, Base.AddHours(12), ct: Ct);
        var rows = ReadExport();

        Assert.Equal(60, report.Rows);
        Assert.Equal(60, rows.Count);
        Assert.Equal(60, rows.Select(r => r.Row.GetProperty("event_id").GetString()).Distinct().Count());
        foreach (var (path, row) in rows)
        {
            var ts = DateTimeOffset.Parse(row.GetProperty("ts").GetString()! + "Z", System.Globalization.CultureInfo.InvariantCulture);
            var expected = Path.Combine("events", $"env={row.GetProperty("env").GetString()}", $"dt={ts:yyyy-MM-dd}", $"hr={ts:HH}", "part-0000.json.gz");
            Assert.Equal(expected, path);
            var props = row.GetProperty("properties");
            foreach (var never in new[] { "message_text", "customer_email", "customer_phone", "address", "tracking_url", "auth_header" })
                Assert.False(props.TryGetProperty(never, out _), $"{never} was exported: {props}");
            Assert.True(props.TryGetProperty("ticket_id", out _));
        }
        var raw = string.Join("\n", rows.Select(r => r.Row.GetRawText()));
        Assert.DoesNotContain("4111", raw);
        Assert.DoesNotContain("@example.com", raw);
    }

    [Fact]
    public async Task Running_a_window_again_or_an_overlapping_one_never_duplicates_a_row()
    {
        var exporter = new EventExporter(_store, _plan);
        await exporter.ExportAsync(Root, Base, Base.AddHours(4), ct: Ct);
        await exporter.ExportAsync(Root, Base, Base.AddHours(4), ct: Ct);
        await exporter.ExportAsync(Root, Base.AddHours(2).AddMinutes(30), Base.AddHours(12), ct: Ct);
        var rows = ReadExport();
        Assert.Equal(60, rows.Count);
        Assert.Equal(60, rows.Select(r => r.Row.GetProperty("event_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task An_environment_filter_exports_only_that_environment()
    {
        await new EventExporter(_store, _plan).ExportAsync(Root, Base, Base.AddHours(12), environment: "staging", ct: Ct);
        var rows = ReadExport();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.StartsWith(Path.Combine("events", "env=staging"), r.Path));
    }

    [Fact]
    public void Athena_ddl_projects_the_partitions_and_leaves_out_never_exported_fields()
    {
        var ddl = ExportDdl.Athena(_plan, "mw_events_v1", "s3://org-mw-analytics-prod");
        Assert.Contains("CREATE EXTERNAL TABLE IF NOT EXISTS mw_events_v1", ddl);
        Assert.Contains("PARTITIONED BY (env string, dt string, hr string)", ddl);
        Assert.Contains("'storage.location.template' = 's3://org-mw-analytics-prod/events/env=${env}/dt=${dt}/hr=${hr}/'", ddl);
        Assert.Contains("`decision`: struct<", ddl);
        Assert.DoesNotContain("customer_email", ddl);
        Assert.DoesNotContain("message_text", ddl);
    }
}
