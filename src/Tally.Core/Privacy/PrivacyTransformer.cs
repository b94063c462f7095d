using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
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

    /// <summary>What a transform did, for metrics and for replaying quarantined events without hashing twice.</summary>
    public sealed class Report
    {
        public List<string> Dropped { get; } = [];
        public List<string> Transformed { get; } = [];
    }

    public string Transform(IReadOnlyDictionary<string, JsonElement> properties, EventDefinition? def, string environment,
        bool forQuarantine, Report report, ISet<string>? alreadyTransformed = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                if (alreadyTransformed?.Contains(name) == true)
                {
                    w.WritePropertyName(name);
                    value.WriteTo(w);
                    report.Transformed.Add(name);
                    continue;
                }
                var pd = def is not null && def.Declares(name) ? plan.ResolveProperty(def, name) : null;
                if (pd is null)
                {
                    WriteUndeclared(w, name, value, forQuarantine || plan.Privacy.Undeclared != UndeclaredPolicy.Drop, report, name);
                    continue;
                }
                WriteDeclared(w, pd, name, value, environment, forQuarantine, report, name);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteDeclared(Utf8JsonWriter w, PropertyDefinition pd, string name, JsonElement value, string environment,
        bool forQuarantine, Report report, string path)
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
        switch (pd.Privacy)
        {
            case PrivacyPolicy.Drop:
                report.Dropped.Add(path);
                return;
            case PrivacyPolicy.Hash:
                w.WritePropertyName(name);
                WriteHashed(w, value);
                report.Transformed.Add(path);
                return;
            case PrivacyPolicy.Length:
                w.WriteNumber(name, value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!.Length,
                    JsonValueKind.Array => value.GetArrayLength(),
                    _ => value.GetRawText().Length,
                });
                report.Transformed.Add(path);
                return;
            case PrivacyPolicy.Day:
                if (value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                    w.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                else
                    report.Dropped.Add(path);
                report.Transformed.Add(path);
                return;
            case PrivacyPolicy.Ip:
                if (value.ValueKind == JsonValueKind.String && IpAnonymizer.Anonymize(value.GetString()!) is { } ip)
                    w.WriteString(name, ip);
                else
                    report.Dropped.Add(path);
                report.Transformed.Add(path);
                return;
        }
        // Allow: objects still apply their nested fields' policies.
        if (pd.Type == PropertyType.Object && !pd.OpenObject && value.ValueKind == JsonValueKind.Object)
        {
            w.WriteStartObject(name);
            foreach (var f in value.EnumerateObject())
            {
                var nested = pd.FindNested(f.Name);
                if (nested is null) WriteUndeclared(w, f.Name, f.Value, forQuarantine || plan.Privacy.Undeclared != UndeclaredPolicy.Drop, report, $"{path}.{f.Name}");
                else WriteDeclared(w, nested, f.Name, f.Value, environment, forQuarantine, report, $"{path}.{f.Name}");
            }
            w.WriteEndObject();
            return;
        }
        w.WritePropertyName(name);
        value.WriteTo(w);
    }

    private void WriteUndeclared(Utf8JsonWriter w, string name, JsonElement value, bool keepHashed, Report report, string path)
    {
        if (!keepHashed)
        {
            report.Dropped.Add(path);
            return;
        }
        w.WritePropertyName(name);
        WriteHashed(w, value);
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
