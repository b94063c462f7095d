using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tally.Core.Pipeline;
using Tally.Core.Plans;

namespace Tally.Core.Privacy;

/// <summary>
/// Writes an event's properties with every privacy policy applied: the only path by which property values reach a
/// store or the quarantine. Declared properties follow their policy; undeclared ones follow the plan's undeclared
/// policy, and in quarantine they are hashed whatever it says, because nobody has vetted them yet.
/// </summary>
public sealed class PrivacyTransformer(TrackingPlan plan, PropertyHasher hasher)
{
    public PropertyHasher Hasher { get; } = hasher;
    private readonly PropertyIndex _properties = PropertyIndex.Of(plan);

    /// <summary>What a transform did, for metrics and for replaying quarantined events without hashing twice.</summary>
    public sealed class Report
    {
        // Created on first use: most events drop or transform nothing.
        private List<string>? _dropped;
        private List<string>? _transformed;

        public List<string> Dropped => _dropped ??= [];
        public List<string> Transformed => _transformed ??= [];
        /// <summary>What was dropped, without creating a list when nothing was.</summary>
        public IReadOnlyList<string> DroppedOrNone => _dropped ?? (IReadOnlyList<string>)[];
    }

    /// <remarks>A <see cref="Dictionary{TKey, TValue}"/>, not an interface: its enumerator is then a struct, not boxed per event.</remarks>
    public string Transform(Dictionary<string, JsonElement> properties, EventDefinition? def, string environment,
        bool forQuarantine, Report report, ISet<string>? alreadyTransformed = null, ISet<string>? suspect = null)
    {
        var keepUndeclared = forQuarantine || plan.Privacy.Undeclared != UndeclaredPolicy.Drop;
        // One writer and buffer per thread, reset per event: a new pair per event was a third of the transform's allocations.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var w = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        try
        {
            w.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                // A replayed quarantine value went through a policy once; it is never transformed again, but the plan's
                // removals (undeclared drop, pii drop, only_in) still apply to it.
                var done = alreadyTransformed?.Contains(name) == true;
                // A value that failed validation is of unknown nature (an email typed into an order id field):
                // in quarantine it is hashed like undeclared data, whatever its declared policy says.
                var pd = def is not null && suspect?.Contains(name) != true && _properties.TryDeclared(def, name, out var declared) ? declared : null;
                if (pd is null) WriteUndeclared(w, name, value, keepUndeclared, report, name, done);
                else WriteDeclared(w, pd, name, value, environment, keepUndeclared, report, name, done);
            }
            w.WriteEndObject();
            w.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch
        {
            // A writer left mid-object must not carry its state into the next event.
            t_writer = null;
            t_buffer = null;
            throw;
        }
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private void WriteDeclared(Utf8JsonWriter w, PropertyDefinition pd, string name, JsonElement value, string environment,
        bool keepUndeclared, Report report, string path, bool done = false)
    {
        if (pd.OnlyIn.Count > 0 && !pd.OnlyIn.Contains(environment))
        {
            report.Dropped.Add(path);
            return;
        }
        if (value.ValueKind == JsonValueKind.Null)
        {
            w.WriteNull(name);
            return;
        }
        if (done)
        {
            if (pd.Privacy == PrivacyPolicy.Drop)
            {
                report.Dropped.Add(path);
                return;
            }
            w.WritePropertyName(name);
            value.WriteTo(w);
            report.Transformed.Add(path);
            return;
        }
        if (!Survives(pd, value))
        {
            report.Dropped.Add(path);
            return;
        }
        w.WritePropertyName(name);
        WriteValue(w, pd, value, environment, keepUndeclared, report, path);
    }

    /// <summary>False when the policy removes the value: drop, or a day/ip policy on something that is not a date or an address.</summary>
    private static bool Survives(PropertyDefinition pd, JsonElement value) => pd.Privacy switch
    {
        PrivacyPolicy.Drop => false,
        PrivacyPolicy.Day => value.ValueKind == JsonValueKind.String && IsoTimestamp.TryParse(value.GetString(), out _),
        PrivacyPolicy.Ip => value.ValueKind == JsonValueKind.String && IpAnonymizer.Anonymize(value.GetString()!) is not null,
        _ => true,
    };

    /// <summary>Writes one value that <see cref="Survives"/> its policy.</summary>
    private void WriteValue(Utf8JsonWriter w, PropertyDefinition pd, JsonElement value, string environment, bool keepUndeclared, Report report, string path)
    {
        switch (pd.Privacy)
        {
            case PrivacyPolicy.Hash:
                WriteHashed(w, value);
                report.Transformed.Add(path);
                return;
            case PrivacyPolicy.Length:
                w.WriteNumberValue(value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!.Length,
                    JsonValueKind.Array => value.GetArrayLength(),
                    _ => value.GetRawText().Length,
                });
                report.Transformed.Add(path);
                return;
            case PrivacyPolicy.Day:
                IsoTimestamp.TryParse(value.GetString(), out var t);
                w.WriteStringValue(t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                report.Transformed.Add(path);
                return;
            case PrivacyPolicy.Ip:
                w.WriteStringValue(IpAnonymizer.Anonymize(value.GetString()!));
                report.Transformed.Add(path);
                return;
        }
        // Allow: objects still apply their nested fields' policies, and arrays their items' policies.
        if (pd.Type == PropertyType.Object && !pd.OpenObject && value.ValueKind == JsonValueKind.Object)
        {
            w.WriteStartObject();
            foreach (var f in value.EnumerateObject())
            {
                var nested = pd.FindNested(f.Name);
                if (nested is null) WriteUndeclared(w, f.Name, f.Value, keepUndeclared, report, $"{path}.{f.Name}");
                else WriteDeclared(w, nested, f.Name, f.Value, environment, keepUndeclared, report, $"{path}.{f.Name}");
            }
            w.WriteEndObject();
            return;
        }
        if (pd.Type == PropertyType.Array && pd.Items is { } items && value.ValueKind == JsonValueKind.Array)
        {
            w.WriteStartArray();
            var i = 0;
            // An allowed scalar item reports nothing, so its path is never built (a string per item otherwise).
            var quiet = items.Privacy == PrivacyPolicy.Allow && items.Type is not (PropertyType.Object or PropertyType.Array);
            foreach (var item in value.EnumerateArray())
            {
                var itemPath = quiet ? path : $"{path}[{i}]";
                i++;
                // A removed item becomes null so that the positions of the others still mean what they meant.
                if (item.ValueKind == JsonValueKind.Null) w.WriteNullValue();
                else if (!Survives(items, item)) { w.WriteNullValue(); report.Dropped.Add(itemPath); }
                else WriteValue(w, items, item, environment, keepUndeclared, report, itemPath);
            }
            w.WriteEndArray();
            return;
        }
        value.WriteTo(w);
    }

    private void WriteUndeclared(Utf8JsonWriter w, string name, JsonElement value, bool keep, Report report, string path, bool done = false)
    {
        if (!keep)
        {
            report.Dropped.Add(path);
            return;
        }
        w.WritePropertyName(name);
        if (done) value.WriteTo(w);
        else WriteHashed(w, value);
        report.Transformed.Add(path);
    }

    /// <summary>Strings and numbers are hashed (a phone number may arrive as a number); booleans and nulls are kept; containers are hashed leaf by leaf.</summary>
    private void WriteHashed(Utf8JsonWriter w, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                w.WriteStringValue(Hasher.Hash(value.GetString()!));
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in value.EnumerateArray()) WriteHashed(w, item);
                w.WriteEndArray();
                break;
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var f in value.EnumerateObject())
                {
                    w.WritePropertyName(f.Name);
                    WriteHashed(w, f.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Number:
                w.WriteStringValue(Hasher.Hash(value.GetRawText()));
                break;
            default:
                value.WriteTo(w);
                break;
        }
    }
}
