using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Tally.Server.Ingestion;

/// <summary>
/// Reads a request body trusting the bytes, not the labels: real SDKs post JSON as text/plain (to avoid a CORS
/// preflight) or gzip under a form content type. gzip is recognised by its magic number whatever
/// Content-Encoding says; after decompression the body must look like JSON (object, array or NDJSON).
/// </summary>
public static class BodyReader
{
    public sealed record Body(byte[] Bytes, int Length, int WireBytes);

    public static async Task<(Body? Body, IngestError? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        // Read at most maxBytes + 1 from the wire: enough to know it is too large without reading a flood.
        var raw = await ReadLimitedAsync(request.Body, maxBytes + 1, ct).ConfigureAwait(false);
        if (raw.Length > maxBytes)
            return (null, new IngestError(413, "body_too_large", $"the request body is larger than {maxBytes / 1024} KB"));
        var wire = raw.Length;
        var gz = raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
        if (gz)
        {
            try
            {
                using var input = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                raw = await ReadLimitedAsync(input, maxBytes + 1, ct).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
                return (null, new IngestError(400, "bad_gzip", "the body starts like gzip but does not decompress"));
            }
            if (raw.Length > maxBytes)
                return (null, new IngestError(413, "body_too_large", $"the decompressed body is larger than {maxBytes / 1024} KB"));
        }
        else if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase) && raw.Length > 0 && !LooksLikeJson(raw))
        {
            return (null, new IngestError(400, "bad_gzip", "Content-Encoding says gzip but the body is not gzip"));
        }
        if (raw.Length == 0 || IsBlank(raw))
            return (null, new IngestError(400, "empty_body", "the request body is empty"));
        if (!LooksLikeJson(raw))
            return (null, new IngestError(415, "unsupported_body", $"the body is not JSON or gzip-compressed JSON (Content-Type was '{request.ContentType}')"));
        return (new Body(raw, raw.Length, wire), null);
    }

    private static bool IsBlank(byte[] b)
    {
        foreach (var x in b) if (x is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return false;
        return true;
    }

    private static bool LooksLikeJson(byte[] b)
    {
        var i = 0;
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) i = 3; // UTF-8 BOM
        while (i < b.Length && b[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') i++;
        return i < b.Length && b[i] is (byte)'{' or (byte)'[';
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream s, int limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var ms = new MemoryStream();
            int n;
            while ((n = await s.ReadAsync(buffer.AsMemory(0, buffer.Length), ct).ConfigureAwait(false)) > 0)
            {
                ms.Write(buffer, 0, n);
                if (ms.Length >= limit) break;
            }
            return ms.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
