using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Tally.Server.Governance;

/// <summary>What a scrub removed from export and archive files.</summary>
public sealed record ScrubReport(long Rows, int Files);

/// <summary>
/// Removes a deleted subject's rows from exported and archived files: every <c>part-*.json.gz</c> under the roots
/// (the layout of <see cref="EventExporter"/>, which the retention archive shares) that holds a row whose
/// anonymous, user or session id is one of the ids is rewritten without those rows, into a temporary file that is
/// then renamed over it, so a reader sees the old file or the new one, never half of one. A part left with no rows is
/// removed. Files holding none of the ids are not touched.
/// </summary>
public static class ExportScrubber
{
    private static readonly string[] IdColumns = ["anonymous_id", "user_id", "session_id"];

    public static async Task<ScrubReport> ScrubAsync(IEnumerable<string> roots, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return new ScrubReport(0, 0);
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        long rows = 0;
        var files = 0;
        foreach (var root in roots.Distinct())
        {
            var events = Path.Combine(root, "events");
            if (!Directory.Exists(events)) continue;
            foreach (var file in Directory.EnumerateFiles(events, "part-*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList())
            {
                ct.ThrowIfCancellationRequested();
                var removed = await ScrubFileAsync(file, wanted, ct).ConfigureAwait(false);
                if (removed == 0) continue;
                rows += removed;
                files++;
            }
        }

        return new ScrubReport(rows, files);
    }

    /// <summary>Rewrites one part without the subject's rows; returns how many rows it removed.</summary>
    private static async Task<long> ScrubFileAsync(string file, HashSet<string> ids, CancellationToken ct)
    {
        var kept = new List<string>();
        long removed = 0;
        await using (var input = new GZipStream(File.OpenRead(file), CompressionMode.Decompress))
        using (var reader = new StreamReader(input, Encoding.UTF8))
        {
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0) continue;
                if (Carries(line, ids)) removed++;
                else kept.Add(line);
            }
        }

        if (removed == 0) return 0;
        if (kept.Count == 0)
        {
            File.Delete(file);
            return removed;
        }

        var tmp = file + ".scrub.tmp";
        await using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            await using (var gz = new GZipStream(fs, CompressionLevel.Optimal, leaveOpen: true))
            await using (var w = new StreamWriter(gz, new UTF8Encoding(false)))
            {
                foreach (var line in kept) await w.WriteAsync(line + "\n").ConfigureAwait(false);
            }

            fs.Flush(flushToDisk: true);
        }

        File.Move(tmp, file, overwrite: true);
        return removed;
    }

    private static bool Carries(string line, HashSet<string> ids)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            foreach (var column in IdColumns)
            {
                if (doc.RootElement.TryGetProperty(column, out var v) && v.ValueKind == JsonValueKind.String && ids.Contains(v.GetString()!)) return true;
            }

            return false;
        }
        catch (JsonException)
        {
            // A line that is not JSON is not ours to judge; it is kept as it was.
            return false;
        }
    }
}
