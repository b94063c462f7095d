using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Plans;
using Tally.Core.Privacy;
using Tally.Core.Storage;
using Tally.Storage.Sqlite;

/// <summary>
/// Where the time goes, stage by stage, single-threaded and without HTTP: JSON parse, envelope mapping, validation,
/// privacy transform, the whole pipeline, and the SQLite commit at several batch sizes.
/// </summary>
internal static class StageProfile
{
    public static async Task RunAsync(TrackingPlan plan, bool storeOnly = false)
    {
        const int n = 200_000;
        var rnd = new Random(7);
        var bodies = Enumerable.Range(0, 1000).Select(_ => Traffic.Single(rnd)).ToArray();
        var pipeline = new EventPipeline(plan, new PipelineOptions { HashSalt = "profile"u8.ToArray() }, new OptOutRegistry());
        var ctx = new IngestContext(DateTimeOffset.UtcNow, "profile");
        var docs = bodies.Select(b => JsonDocument.Parse(b)).ToArray();
        var validator = new PlanValidator(plan);
        var privacy = new PrivacyTransformer(plan, new PropertyHasher("profile"u8.ToArray()));

        if (!storeOnly) MeasureStages(plan, n, bodies, pipeline, ctx, docs, validator, privacy);
        await MeasureStoreAsync(n, pipeline, ctx, docs);
        foreach (var d in docs) d.Dispose();
    }

    private static void MeasureStages(TrackingPlan plan, int n, string[] bodies, EventPipeline pipeline, IngestContext ctx, JsonDocument[] docs,
        PlanValidator validator, PrivacyTransformer privacy)
    {
        Measure("JSON parse (JsonDocument)", n, i => { using var d = JsonDocument.Parse(bodies[i % bodies.Length]); });
        Measure("envelope mapping", n, i => EnvelopeMapper.Map(docs[i % docs.Length].RootElement, plan));
        var mapped = docs.Select(d => EnvelopeMapper.Map(d.RootElement, plan)).ToArray();
        Measure("validation", n, i =>
        {
            var m = mapped[i % mapped.Length];
            validator.Validate(m, plan.FindEvent(m.Name!)!, [], []);
        });
        Measure("privacy transform", n, i =>
        {
            var m = mapped[i % mapped.Length];
            privacy.Transform(m.Properties, plan.FindEvent(m.Name!), "production", false, new PrivacyTransformer.Report());
        });
        Measure("whole pipeline (map..enrich)", n, i => pipeline.Process(docs[i % docs.Length].RootElement, ctx));
    }

    private static async Task MeasureStoreAsync(int n, EventPipeline pipeline, IngestContext ctx, JsonDocument[] docs)
    {

        var events = new List<CollectedEvent>(n);
        for (var i = 0; i < n; i++)
            if (pipeline.Process(docs[i % docs.Length].RootElement, ctx) is PipelineOutcome.Accepted a) events.Add(a.Event with { EventId = Guid.NewGuid().ToString("N") });
        foreach (var size in new[] { 100, 1000, 5000 })
        {
            var dir = Directory.CreateTempSubdirectory("tally-profile-");
            await using (var store = await SqliteEventStore.OpenAsync(Path.Combine(dir.FullName, "t.db")))
            {
                // As the collector does: ids fingerprinted by the request threads, before the batch reaches the writer.
                var batches = events.Chunk(size).Select(c => new WriteBatch(c, [], [], [.. c.Select(e => EventIdFingerprint.Of(e.EventId))])).ToList();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var commits = new List<double>();
                foreach (var batch in batches)
                {
                    var t = Stopwatch.GetTimestamp();
                    await store.WriteAsync(batch);
                    commits.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000 / events.Count;
                commits.Sort();
                // CPU time as well as wall time: on a shared machine the wall time includes waiting for a core. The
                // slowest commits show checkpoints and fsync stalls, which is what a single-event request's p99 sees.
                Console.WriteLine($"  SQLite commit, batches of {size,5}: {sw.Elapsed.TotalMilliseconds * 1000 / events.Count,7:F2} µs/event wall, {cpuUs,6:F2} µs CPU  ({events.Count / sw.Elapsed.TotalSeconds,9:N0} events/s); commit p50 {commits[commits.Count / 2]:F1} ms, p99 {commits[(int)(commits.Count * 0.99)]:F1} ms, max {commits[^1]:F1} ms");
            }
            dir.Delete(true);
        }
    }

    private static void Measure(string name, int n, Action<int> body)
    {
        for (var i = 0; i < 10_000; i++) body(i); // warm up the JIT
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) body(i);
        var elapsed = sw.Elapsed;
        // Allocation matters as much as time: the collector's GC work grows with it, on the same two cores.
        Console.WriteLine($"  {name,-30} {elapsed.TotalMilliseconds * 1000 / n,7:F2} µs/event, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / n,6} B allocated/event");
    }
}
