using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Tally.Core.Governance;
using Tally.Core.Plans;
using Tally.Core.Storage;

namespace Tally.Server.Governance;

/// <summary>
/// The archive of raw events past their archive period, in the export layout
/// (<c>events/env=/dt=/hr=/part-NNNN.json.gz</c>, rows written by <see cref="ExportRow"/>). Unlike an export it is
/// never rewritten from the store, because the store deletes rows the archive must keep: each run only adds part files.
/// Two things keep a row from being archived twice: a per-event watermark (<c>archive-state.json</c>: every event of
/// that name before it is archived), so a run reads only what is new; and, should a run stop between writing its parts
/// and moving the watermark, the ids already in an hour's parts, which a new part never repeats.
/// </summary>
public sealed class EventArchive
{
    public const string StateFileName = "archive-state.json";

    private readonly string _root;
    private readonly TrackingPlan _plan;
    private readonly Dictionary<string, DateTimeOffset> _archivedBefore;

    public EventArchive(string root, TrackingPlan plan)
    {
        _root = Path.GetFullPath(root);
        _plan = plan;
        _archivedBefore = ReadState(StatePath);
    }

    public int RowsPerPart { get; init; } = 100_000;

    public string Root => _root;

    private string StatePath => Path.Combine(_root, StateFileName);

    /// <summary>Every event of <paramref name="name"/> with a timestamp before this is in the archive; null when none was archived yet.</summary>
    public DateTimeOffset? ArchivedBefore(string name) => _archivedBefore.TryGetValue(name, out var at) ? at : null;

    /// <summary>Archives the events of <paramref name="name"/> before <paramref name="before"/> not archived yet; returns how many rows were added.</summary>
    public async Task<long> ArchiveAsync(IEventStore store, string name, DateTimeOffset before, CancellationToken ct = default)
    {
        var from = ArchivedBefore(name);
        if (from >= before) return 0;
        var added = await AppendAsync(store, new EventQuery(name, from, before), ct).ConfigureAwait(false);
        _archivedBefore[name] = before;
        await WriteStateAsync(ct).ConfigureAwait(false);
        return added;
    }

    /// <summary>
    /// Archives whatever the store still holds of <paramref name="name"/> before <paramref name="before"/> and the archive
    /// does not: run just before those rows are deleted, it catches events that arrived after the watermark had passed
    /// their timestamp. Rows older than the previous deletion are gone already, so this reads one run's worth.
    /// </summary>
    public Task<long> ArchiveStillStoredAsync(IEventStore store, string name, DateTimeOffset before, CancellationToken ct = default) =>
        AppendAsync(store, new EventQuery(name, To: before), ct);

    private async Task<long> AppendAsync(IEventStore store, EventQuery query, CancellationToken ct)
    {
        long added = 0;
        DateTimeOffset? hour = null;
        var pending = new Dictionary<ExportPartition, List<(string Id, string Line)>>();
        // Rows come in timestamp order, so an hour is complete when the next row is in a later one: one hour in memory.
        await foreach (var e in store.ReadEventsAsync(query, ct).ConfigureAwait(false))
        {
            var partition = ExportPartition.Of(e.Environment, e.Timestamp);
            if (hour != partition.Start)
            {
                added += await FlushAsync(pending, ct).ConfigureAwait(false);
                hour = partition.Start;
            }

            if (!pending.TryGetValue(partition, out var rows)) pending[partition] = rows = [];
            rows.Add((e.EventId, ExportRow.Write(e, _plan)));
        }

        return added + await FlushAsync(pending, ct).ConfigureAwait(false);
    }

    private async Task<long> FlushAsync(Dictionary<ExportPartition, List<(string Id, string Line)>> pending, CancellationToken ct)
    {
        long added = 0;
        foreach (var (partition, rows) in pending) added += await AppendAsync(partition, rows, ct).ConfigureAwait(false);
        pending.Clear();
        return added;
    }

    /// <summary>Adds the rows whose ids the hour's parts do not hold yet as new part files; each appears whole or not at all.</summary>
    private async Task<long> AppendAsync(ExportPartition partition, List<(string Id, string Line)> rows, CancellationToken ct)
    {
        var dir = Path.Combine(_root, partition.RelativeDirectory);
        Directory.CreateDirectory(dir);
        var existing = Directory.GetFiles(dir, "part-*.json.gz");
        var present = new HashSet<string>(StringComparer.Ordinal);
        var next = 0;
        foreach (var file in existing)
        {
            if (PartIndex(file) is { } index) next = Math.Max(next, index + 1);
            foreach (var line in ReadLines(file)) present.Add(IdOf(line));
        }

        var fresh = rows.Where(r => present.Add(r.Id)).Select(r => r.Line).ToList();
        for (var i = 0; i < fresh.Count; i += RowsPerPart, next++)
        {
            var final = Path.Combine(dir, ExportPartition.PartFileName(next));
            var tmp = final + ".tmp";
            await using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            await using (var gz = new GZipStream(fs, CompressionLevel.Optimal))
            await using (var w = new StreamWriter(gz, new UTF8Encoding(false)))
            {
                foreach (var line in fresh.Skip(i).Take(RowsPerPart)) await w.WriteAsync((line + "\n").AsMemory(), ct).ConfigureAwait(false);
            }

            File.Move(tmp, final);
        }

        return fresh.Count;
    }

    /// <summary>Every row of one part file, as written.</summary>
    public static IEnumerable<string> ReadLines(string file)
    {
        using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) yield return line;
        }
    }

    private static string IdOf(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("event_id").GetString() ?? "";
    }

    private static int? PartIndex(string file)
    {
        var name = Path.GetFileName(file);
        const string Prefix = "part-", Suffix = ".json.gz";
        return int.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
    }

    private static Dictionary<string, DateTimeOffset> ReadState(string path)
    {
        var state = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (!File.Exists(path)) return state;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        if (doc.RootElement.TryGetProperty("archived_before", out var events))
        {
            foreach (var p in events.EnumerateObject()) state[p.Name] = p.Value.GetDateTimeOffset();
        }

        return state;
    }

    /// <summary>Written beside and then moved over the old file, so a crash leaves the old state or the new one.</summary>
    private async Task WriteStateAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_root);
        var tmp = StatePath + ".tmp";
        await using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            await using var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteStartObject("archived_before");
            foreach (var (name, at) in _archivedBefore.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(name, at.ToUniversalTime());
            w.WriteEndObject();
            w.WriteEndObject();
            await w.FlushAsync(ct).ConfigureAwait(false);
        }

        File.Move(tmp, StatePath, overwrite: true);
    }
}
