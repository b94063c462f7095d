using System.Runtime.CompilerServices;
using System.Text.Json;
using Tally.Core.Plans;

namespace Tally.Core.Pipeline;

/// <summary>
/// A plan's envelope paths compiled for the collector's hot path: the distinct top-level names the paths start with,
/// as UTF-8, so a payload is walked once and each field matched by its raw bytes. Looking each path up with
/// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> scanned the object again per path and transcoded
/// the name every time: ~10% of the collector's CPU at 80k events/s.
/// </summary>
internal sealed class EnvelopePaths
{
    private static readonly ConditionalWeakTable<EnvelopeDefinition, EnvelopePaths> Cache = [];

    [ThreadStatic] private static JsonElement[]? _slots;

    private readonly List<string> _heads = [];
    private readonly Utf8Names _lookup;

    public Path Event { get; }
    public Path Timestamp { get; }
    public Path EventId { get; }
    public Path AnonymousId { get; }
    public Path UserId { get; }
    public Path? SessionId { get; }
    public Path? Environment { get; }
    public Path? Source { get; }
    public Path? SentAt { get; }
    public Path? Count { get; }
    /// <summary>Null when properties are the payload root itself.</summary>
    public Path? Properties { get; }
    public Path Type { get; }
    public Path Traits { get; }
    public Path PreviousId { get; }
    public Path Context { get; }

    private EnvelopePaths(EnvelopeDefinition env)
    {
        Event = Compile(env.Event);
        Timestamp = Compile(env.Timestamp);
        EventId = Compile(env.EventId);
        AnonymousId = Compile(env.AnonymousId);
        UserId = Compile(env.UserId);
        SessionId = env.SessionId is null ? null : Compile(env.SessionId);
        Environment = env.Environment is null ? null : Compile(env.Environment);
        Source = env.Source is null ? null : Compile(env.Source);
        SentAt = env.SentAt is null ? null : Compile(env.SentAt);
        Count = env.Count is null ? null : Compile(env.Count);
        Properties = env.Properties.Length == 0 ? null : Compile(env.Properties);
        Type = Compile("type");
        Traits = Compile("traits");
        PreviousId = Compile("previousId");
        Context = Compile("context");
        _lookup = new Utf8Names(_heads);
    }

    public static EnvelopePaths For(EnvelopeDefinition env) => Cache.GetValue(env, static e => new EnvelopePaths(e));

    /// <summary>A dotted path: which top-level field it starts in, then the names below it.</summary>
    public sealed record Path(int Head, string[] Rest);

    /// <summary>Walks the payload's top-level fields once; the result resolves every compiled path.</summary>
    public Fields Read(JsonElement payload)
    {
        var slots = _slots is { } s && s.Length >= _heads.Count ? s : _slots = new JsonElement[Math.Max(16, _heads.Count)];
        Array.Clear(slots);
        var heads = _lookup;
        foreach (var field in payload.EnumerateObject())
        {
            // Duplicate names: the last one wins, as with TryGetProperty.
            if (heads.IndexOf(field) is >= 0 and var i) slots[i] = field.Value;
        }
        return new Fields(slots);
    }

    /// <summary>The top-level fields a payload held, by compiled head; valid until the next <see cref="Read"/> on this thread.</summary>
    public readonly struct Fields(JsonElement[] slots)
    {
        public JsonElement? Get(Path? path)
        {
            if (path is null) return null;
            var cur = slots[path.Head];
            if (cur.ValueKind == JsonValueKind.Undefined) return null;
            return path.Rest.Length == 0 ? cur : EnvelopeMapper.Walk(cur, path.Rest);
        }

        public string? Text(Path? path) => Get(path) is { } v ? EnvelopeMapper.Scalar(v) : null;
    }

    private Path Compile(string dotted)
    {
        var parts = dotted.Split('.');
        var head = _heads.IndexOf(parts[0]);
        if (head < 0)
        {
            head = _heads.Count;
            _heads.Add(parts[0]);
        }
        return new Path(head, parts[1..]);
    }
}
