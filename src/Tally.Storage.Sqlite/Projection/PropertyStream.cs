using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tally.Storage.Sqlite.Projection;

/// <summary>
/// <see cref="Tally.Core.Analytics.PropertyFlattener"/> as a stream over the UTF-8 bytes of a properties object,
/// without a JSON document or a dictionary per row: each scalar goes to the row's column as soon as it is read,
/// nested objects under dotted keys, arrays skipped, numbers normalised the same way, a later duplicate key
/// overwriting an earlier one as the dictionary does. Rebuilding the projection at 10M events is mostly this.
/// </summary>
internal sealed class PropertyStream
{
    private char[] _key = new char[256];
    private char[] _value = new char[256];
    private readonly Stack<int> _prefixes = new();

    public void Read(ReadOnlySpan<byte> json, NamePartition partition, int row)
    {
        if (json.IsEmpty || IsWhiteSpace(json)) return;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = false });
        if (!reader.Read()) return;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Flatten parses the whole document even when its root is not an object; so must this, to fail alike.
            reader.Skip();
            return;
        }
        _prefixes.Clear();
        var prefix = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (_prefixes.Count == 0) break;
                prefix = _prefixes.Pop();
                continue;
            }
            // A property name: the key is the prefix plus the name.
            var nameLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
            Ensure(ref _key, prefix + nameLength + 1);
            var keyLength = prefix + reader.CopyString(_key.AsSpan(prefix));
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    _prefixes.Push(prefix);
                    _key[keyLength] = '.';
                    prefix = keyLength + 1;
                    break;
                case JsonTokenType.StartArray:
                    reader.Skip();
                    break;
                case JsonTokenType.Null:
                    partition.SetNull(row, _key.AsSpan(0, keyLength));
                    break;
                case JsonTokenType.True:
                    partition.Set(row, _key.AsSpan(0, keyLength), "true");
                    break;
                case JsonTokenType.False:
                    partition.Set(row, _key.AsSpan(0, keyLength), "false");
                    break;
                case JsonTokenType.String:
                    var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                    Ensure(ref _value, length);
                    partition.Set(row, _key.AsSpan(0, keyLength), _value.AsSpan(0, reader.CopyString(_value)));
                    break;
                case JsonTokenType.Number:
                    partition.Set(row, _key.AsSpan(0, keyLength), Number(ref reader));
                    break;
                default:
                    throw new JsonException($"unexpected {reader.TokenType} in properties");
            }
        }
        // Anything after the root object is an error for JsonDocument too.
        while (reader.Read())
        {
        }
    }

    /// <summary>The same text as PropertyFlattener's normalisation: 500, 2.5, never 5e2 or 2.50.</summary>
    private ReadOnlySpan<char> Number(ref Utf8JsonReader reader)
    {
        Ensure(ref _value, 64);
        int written;
        if (reader.TryGetInt64(out var l))
        {
            l.TryFormat(_value, out written, default, CultureInfo.InvariantCulture);
            return _value.AsSpan(0, written);
        }
        var d = reader.GetDouble();
        if (Math.Abs(d) < 9e15 && d == Math.Floor(d))
        {
            ((long)d).TryFormat(_value, out written, default, CultureInfo.InvariantCulture);
            return _value.AsSpan(0, written);
        }
        d.TryFormat(_value, out written, "R", CultureInfo.InvariantCulture);
        return _value.AsSpan(0, written);
    }

    private static bool IsWhiteSpace(ReadOnlySpan<byte> json)
    {
        foreach (var b in json)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        }
        return true;
    }

    private static void Ensure(ref char[] buffer, int length)
    {
        if (buffer.Length < length) Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
    }
}
