using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Tally.Core.Pipeline;
using Tally.Core.Storage;
using Tally.Server.Ingestion;
using Tally.Server.Observability;
using Tally.Server.Writing;

namespace Tally.Cli.Commands;

/// <summary>
/// <c>tally ingest FILE… --plan P [--data DIR] [--backfill]</c>: loads NDJSON files (one event per line, as posted to
/// <c>/v1/events</c>) or Segment batch files (<c>{"batch": […]}</c>, as posted to <c>/v1/batch</c>; a JSON array or a
/// single object is read like <c>/v1/events</c>) through the collector's own path: <see cref="PayloadSplitter"/>,
/// <see cref="IngestService"/> (the pipeline, quarantine, opt-outs) and the group-commit writer, in batches of about
/// 5,000 events. Prints accepted, duplicates, quarantined and dropped per file.
/// Example: tally ingest export-2025.ndjson --plan plans/skillforge.yaml --backfill
/// </summary>
public static class IngestCommand
{
    /// <summary>What <c>--backfill</c> allows instead of the collector's 365 days: any timestamp of the last thousand years.</summary>
    public static readonly TimeSpan BackfillMaxPastAge = TimeSpan.FromDays(365 * 1000);

    public static Command Build()
    {
        var common = new CommonOptions();
        var files = new Argument<FileInfo[]>("file") { Description = "NDJSON or Segment batch JSON files.", Arity = ArgumentArity.OneOrMore };
        var backfill = new Option<bool>("--backfill") { Description = "Keep timestamps older than 365 days (historical imports) instead of clamping them to now." };
        var environment = new Option<string?>("--environment") { Description = "Environment of events that name none (as a write key's environment would)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Events per store commit.", DefaultValueFactory = _ => 5000 };
        var cmd = new Command("ingest", "Load event files through the collector's pipeline: validation, privacy, quarantine, opt-outs, deduplication.\nExample: tally ingest events.ndjson --plan plans/skillforge.yaml --backfill");
        cmd.Arguments.Add(files);
        common.AddTo(cmd);
        cmd.Options.Add(backfill);
        cmd.Options.Add(environment);
        cmd.Options.Add(batchSize);
        cmd.SetAction(async (parse, ct) =>
        {
            var inputs = parse.GetValue(files)!;
            foreach (var missing in inputs.Where(f => !f.Exists))
            {
                Console.Error.WriteLine($"tally ingest: {missing.FullName}: no such file");
                return 2;
            }
            var size = Math.Max(1, parse.GetValue(batchSize));
            if (await common.OpenAsync(parse) is not { } opened) return 1;
            await using var store = opened.Store;
            var optOuts = new OptOutRegistry();
            foreach (var actor in await store.ReadOptedOutAsync(ct)) optOuts.Set(actor, true);
            var options = new PipelineOptions { HashSalt = Secrets.HashSalt(opened.DataDir) };
            if (parse.GetValue(backfill)) options = options with { MaxPastAge = BackfillMaxPastAge };
            var pipeline = new EventPipeline(opened.Plan, options, optOuts);
            await using var writer = new GroupCommitWriter(store);
            var ingest = new IngestService(pipeline, writer, new TallyMetrics(), NullLogger<IngestService>.Instance);
            var runId = "ingest-" + Guid.NewGuid().ToString("N");

            var totals = new List<(string File, Tally Tally)>();
            string? failure = null;
            await QueryVerb.Error().Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var tasks = inputs.Select(f => progress.AddTask(Markup.Escape(f.Name), autoStart: false, maxValue: Math.Max(1, f.Length))).ToList();
                    for (var i = 0; i < inputs.Length && failure is null; i++)
                    {
                        var file = inputs[i];
                        tasks[i].StartTask();
                        var tally = new Tally();
                        var ctx = () => new IngestContext(DateTimeOffset.UtcNow, $"file:{file.Name}", runId, parse.GetValue(environment));
                        failure = await IngestFileAsync(file, size, ingest, ctx, tally, position => tasks[i].Value = position, ct);
                        tasks[i].Value = tasks[i].MaxValue;
                        tasks[i].StopTask();
                        totals.Add((file.Name, tally));
                    }
                });
            foreach (var (file, t) in totals) Console.WriteLine($"{file}: {t}");
            if (totals.Count > 1)
            {
                var all = new Tally();
                foreach (var (_, t) in totals) all.Add(t);
                Console.WriteLine($"total: {all}");
            }
            if (failure is not null)
            {
                Console.Error.WriteLine($"tally ingest: {failure}");
                return 2;
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Ingests one file in batches; returns why it could not be read, or null.</summary>
    private static async Task<string?> IngestFileAsync(FileInfo file, int batchSize, IngestService ingest, Func<IngestContext> ctx, Tally tally, Action<long> progress, CancellationToken ct)
    {
        await using var stream = file.OpenRead();
        if (await IsNdjsonAsync(stream, ct))
        {
            await foreach (var (body, position) in LineChunks(stream, batchSize, ct))
            {
                using var split = PayloadSplitter.ReadNdjson(body);
                if (split.Items.Count > 0) tally.Add(await ingest.IngestAsync(split, ctx(), ct));
                progress(position);
            }
            return null;
        }

        // One JSON document: a Segment batch, an array of events or a single event, split into batches after parsing.
        var bytes = new byte[stream.Length];
        await stream.ReadExactlyAsync(bytes, ct);
        var mode = LooksLikeBatch(bytes) ? "batch" : "flat";
        var (whole, error) = PayloadSplitter.Read(bytes, mode, null);
        if (error is not null) return $"{file.Name}: {error.Message}";
        using (whole)
        {
            for (var start = 0; start < whole!.Items.Count; start += batchSize)
            {
                using var part = new PayloadSplitter.Split { BatchSentAt = whole.BatchSentAt, Utf8Repaired = whole.Utf8Repaired };
                part.Items.AddRange(whole.Items.Skip(start).Take(batchSize));
                tally.Add(await ingest.IngestAsync(part, ctx(), ct));
                progress(file.Length * Math.Min(whole.Items.Count, start + batchSize) / whole.Items.Count);
            }
        }
        return null;
    }

    /// <summary>
    /// NDJSON when the first non-blank line is a whole JSON value on its own (and not a Segment batch); a pretty-printed
    /// document's first line is not.
    /// </summary>
    private static async Task<bool> IsNdjsonAsync(Stream stream, CancellationToken ct)
    {
        var head = new byte[(int)Math.Min(stream.Length, 1 << 20)];
        await stream.ReadExactlyAsync(head, ct);
        stream.Position = 0;
        foreach (var range in head.AsSpan().Split((byte)'\n'))
        {
            var line = head.AsSpan()[range].Trim("\r\t "u8);
            if (line.IsEmpty) continue;
            if (line[0] != (byte)'{') return false;
            try
            {
                using var doc = JsonDocument.Parse(line.ToArray(), PayloadSplitter.Options);
                return !(doc.RootElement.TryGetProperty("batch", out var b) && b.ValueKind == JsonValueKind.Array);
            }
            catch (JsonException)
            {
                // The first line of a multi-line document, or a broken first event: NDJSON only if more lines follow.
                return head.AsSpan(range.End.GetOffset(head.Length)).IndexOfAnyExcept("\r\n\t "u8) is var next && next >= 0
                    && head[range.End.GetOffset(head.Length) + next] == (byte)'{';
            }
        }
        return false;
    }

    private static bool LooksLikeBatch(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, PayloadSplitter.Options);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("batch", out var b) && b.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Chunks of up to <paramref name="lines"/> whole lines, and the file position after each.</summary>
    private static async IAsyncEnumerable<(byte[] Body, long Position)> LineChunks(Stream stream, int lines, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        using var chunk = new MemoryStream();
        var count = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
        {
            var start = 0;
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n' || ++count < lines) continue;
                chunk.Write(buffer, start, i + 1 - start);
                start = i + 1;
                yield return (chunk.ToArray(), stream.Position - (n - start));
                chunk.SetLength(0);
                count = 0;
            }
            chunk.Write(buffer, start, n - start);
        }
        if (chunk.Length > 0) yield return (chunk.ToArray(), stream.Position);
    }

    /// <summary>Outcomes added up over a file's batches.</summary>
    private sealed class Tally
    {
        private long _accepted, _duplicates, _quarantined, _dropped;

        public void Add(IngestResult r)
        {
            _accepted += r.Accepted;
            _duplicates += r.Duplicates;
            _quarantined += r.Quarantined;
            _dropped += r.Dropped;
        }

        public void Add(Tally t)
        {
            _accepted += t._accepted;
            _duplicates += t._duplicates;
            _quarantined += t._quarantined;
            _dropped += t._dropped;
        }

        public override string ToString() => $"accepted {_accepted}, duplicates {_duplicates}, quarantined {_quarantined}, dropped {_dropped}";
    }
}
