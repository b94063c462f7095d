using System.IO.Compression;
using System.Text;
using Tally.Core.Events;
using Tally.Core.Governance;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Server.Governance;

/// <summary>What an export wrote.</summary>
public sealed record ExportReport(int Partitions, long Rows, int Files, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// Writes sanitized events as gzip JSON lines in <c>events/env=/dt=/hr=/part-NNNN.json.gz</c>. The window is widened to
/// whole hours and every hour partition in it is rewritten from the store, so running a window again never duplicates
/// a row, and an export re-run after a GDPR deletion no longer holds the deleted subject.
/// </summary>
public sealed class EventExporter(IEventStore store, TrackingPlan plan)
{
    public int RowsPerPart { get; init; } = 100_000;

    public async Task<ExportReport> ExportAsync(string root, DateTimeOffset from, DateTimeOffset to, string? environment = null, CancellationToken ct = default)
    {
        var start = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero);
        var end = new DateTimeOffset(to.UtcDateTime.Date.AddHours(to.UtcDateTime.Hour), TimeSpan.Zero);
        if (end < to) end = end.AddHours(1);

        var rows = new Dictionary<ExportPartition, List<string>>();
        await foreach (var e in store.ReadEventsAsync(new EventQuery(From: start, To: end), ct).ConfigureAwait(false))
        {
            if (environment is not null && e.Environment != environment) continue;
            var partition = ExportPartition.Of(e.Environment, e.Timestamp);
            if (!rows.TryGetValue(partition, out var list)) rows[partition] = list = [];
            list.Add(ExportRow.Write(e, plan));
        }

        // Partitions of the window that now hold nothing (e.g. after a deletion) are emptied as well.
        foreach (var stale in ExistingPartitions(root, start, end, environment))
            if (!rows.ContainsKey(stale)) rows[stale] = [];

        int files = 0;
        long total = 0;
        foreach (var (partition, lines) in rows)
        {
            files += await RewriteAsync(Path.Combine(root, partition.RelativeDirectory), lines, ct).ConfigureAwait(false);
            total += lines.Count;
        }
        return new ExportReport(rows.Count(r => r.Value.Count > 0), total, files, start, end);
    }

    /// <summary>Writes the new part files beside the old ones, then swaps: a reader sees the old set or the new set.</summary>
    private async Task<int> RewriteAsync(string dir, List<string> lines, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var old = Directory.GetFiles(dir, "part-*.json.gz");
        var staged = new List<(string Tmp, string Final)>();
        for (int part = 0, i = 0; i < lines.Count; part++, i += RowsPerPart)
        {
            var final = Path.Combine(dir, ExportPartition.PartFileName(part));
            var tmp = final + ".tmp";
            await using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            await using (var gz = new GZipStream(fs, CompressionLevel.Optimal))
            await using (var w = new StreamWriter(gz, new UTF8Encoding(false)))
            {
                foreach (var line in lines.Skip(i).Take(RowsPerPart)) await w.WriteAsync(line + "\n").ConfigureAwait(false);
            }
            staged.Add((tmp, final));
        }
        foreach (var f in old) if (!staged.Any(s => s.Final == f)) File.Delete(f);
        foreach (var (tmp, final) in staged) File.Move(tmp, final, overwrite: true);
        if (lines.Count == 0 && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        return staged.Count;
    }

    private static IEnumerable<ExportPartition> ExistingPartitions(string root, DateTimeOffset start, DateTimeOffset end, string? environment)
    {
        var events = Path.Combine(root, "events");
        if (!Directory.Exists(events)) yield break;
        foreach (var envDir in Directory.GetDirectories(events, "env=*"))
        {
            var env = Path.GetFileName(envDir)[4..];
            if (environment is not null && env != environment) continue;
            for (var h = start; h < end; h = h.AddHours(1))
            {
                var p = ExportPartition.Of(env, h);
                if (Directory.Exists(Path.Combine(root, p.RelativeDirectory))) yield return p;
            }
        }
    }
}
