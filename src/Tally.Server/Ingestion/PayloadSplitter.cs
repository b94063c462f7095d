using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Tally.Server.Ingestion;

/// <summary>One event's JSON as it arrived, or the reason it could not be read.</summary>
public sealed record IncomingItem(JsonElement Payload, string? SegmentType, int RawBytes, string? Problem = null);

/// <summary>
/// Splits a request body into events for each wire format: a Segment call (one object), a Segment batch
/// (<c>{"batch":[…]}</c>), or the flat formats of <c>/v1/events</c> (an object, an array, or NDJSON).
/// NDJSON lines are parsed one by one, so one malformed line does not take the others down.
/// </summary>
public static class PayloadSplitter
{
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public sealed class Split : IDisposable
    {
        public List<IncomingItem> Items { get; } = [];
        public List<JsonDocument> Documents { get; } = [];
        public string? WriteKey { get; set; }
        public string? BatchSentAt { get; set; }
        public bool Utf8Repaired { get; set; }

        public void Dispose()
        {
            foreach (var d in Documents) d.Dispose();
        }
    }

    public static (Split? Split, IngestError? Error) Read(ReadOnlyMemory<byte> body, string mode, string? segmentType)
    {
        if (mode == "flat" && IsNdjson(body.Span)) return (ReadNdjson(body), null);
        var split = new Split();
        body = Repair(body, split);
        try
        {
            var root = JsonDocument.Parse(body, Options);
            split.Documents.Add(root);
            var r = root.RootElement;
            if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("writeKey", out var wk) && wk.ValueKind == JsonValueKind.String) split.WriteKey = wk.GetString();
            if (mode == "batch")
            {
                if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
                    return (null, new IngestError(400, "not_a_batch", "a batch body must be an object with a 'batch' array"));
                if (r.TryGetProperty("sentAt", out var sa) && sa.ValueKind == JsonValueKind.String) split.BatchSentAt = sa.GetString();
                foreach (var item in batch.EnumerateArray()) split.Items.Add(new IncomingItem(item, null, RawSize(item)));
            }
            else if (r.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in r.EnumerateArray()) split.Items.Add(new IncomingItem(item, segmentType, RawSize(item)));
            }
            else
            {
                split.Items.Add(new IncomingItem(r, segmentType, body.Length));
            }
        }
        catch (JsonException e)
        {
            split.Dispose();
            var deep = e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase);
            return (null, new IngestError(400, deep ? "too_deep" : "malformed_json", deep ? "the JSON is nested deeper than 64 levels" : $"malformed JSON: {Describe(e)}"));
        }
        if (split.Items.Count == 0)
        {
            split.Dispose();
            return (null, new IngestError(400, "empty_batch", "the batch holds no events"));
        }
        return (split, null);
    }

    /// <summary>
    /// One event per line, whatever the line count: <c>tally ingest</c> reads a file in chunks of lines, and its last
    /// chunk may hold a single line. A line that is not JSON becomes an item with its problem, quarantined by the caller.
    /// </summary>
    public static Split ReadNdjson(ReadOnlyMemory<byte> body)
    {
        var split = new Split();
        body = Repair(body, split);
        foreach (var line in Lines(body))
        {
            try
            {
                var doc = JsonDocument.Parse(line, Options);
                split.Documents.Add(doc);
                split.Items.Add(new IncomingItem(doc.RootElement, null, line.Length));
            }
            catch (JsonException e)
            {
                split.Items.Add(new IncomingItem(default, null, line.Length, Describe(e)));
            }
        }
        return split;
    }

    /// <summary>Invalid bytes become U+FFFD so the valid events beside them survive; events touched are quarantined.</summary>
    private static ReadOnlyMemory<byte> Repair(ReadOnlyMemory<byte> body, Split split)
    {
        if (Utf8.IsValid(body.Span)) return body;
        split.Utf8Repaired = true;
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body.Span));
    }

    /// <summary>Position only: JsonException messages can quote the input, which may be personal data.</summary>
    private static string Describe(JsonException e) => $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";

    /// <summary>The element's size in bytes as sent, read from the document without copying it.</summary>
    private static int RawSize(JsonElement e) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e).Length;

    private static bool IsNdjson(ReadOnlySpan<byte> b)
    {
        var i = 0;
        while (i < b.Length && b[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') i++;
        if (i >= b.Length || b[i] != (byte)'{') return false;
        // More than one non-empty line, each starting with '{': NDJSON. A pretty-printed single object has lines
        // that start with spaces or quotes, so it is not mistaken for NDJSON.
        var lines = 0;
        foreach (var range in b.Split((byte)'\n'))
        {
            var line = b[range].Trim((byte)'\r').Trim((byte)' ');
            if (line.IsEmpty) continue;
            if (line[0] != (byte)'{') return false;
            lines++;
        }
        return lines > 1;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Lines(ReadOnlyMemory<byte> body)
    {
        var start = 0;
        var span = body.Span;
        var result = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && span[i] != (byte)'\n') continue;
            var line = body[start..i];
            var trimmed = line.Span.Trim((byte)'\r').Trim((byte)' ');
            if (!trimmed.IsEmpty) result.Add(line);
            start = i + 1;
        }
        return result;
    }
}
