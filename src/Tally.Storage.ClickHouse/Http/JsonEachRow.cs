using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tally.Storage.ClickHouse.Http;

/// <summary>
/// Builds a JSONEachRow body: one JSON object per line. Values are escaped by <see cref="Utf8JsonWriter"/>, so no
/// user value is ever spliced into SQL. Non-ASCII text is written as raw UTF-8, which is smaller and which every
/// ClickHouse version reads.
/// </summary>
internal sealed class JsonEachRow : IDisposable
{
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;

    public JsonEachRow() => _json = new Utf8JsonWriter(_buffer, Options);

    public int Count { get; private set; }

    /// <summary>Starts a row; write its properties to the returned writer, then call <see cref="End"/>.</summary>
    public Utf8JsonWriter Begin()
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        return _json;
    }

    public void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        Count++;
    }

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void Dispose() => _json.Dispose();
}
