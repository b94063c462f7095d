using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Analytics;

/// <summary>
/// Random analytics data small enough for brute force yet dense in edge cases: few actors, four event names and
/// timestamps on a coarse grid (so ties are common), events before, inside and after the range, missing and
/// null properties, pre-counted events, and identity links that merge anonymous ids and users.
/// </summary>
public sealed class Scenario
{
    /// <summary>A Saturday evening at a month's end, so ranges cross day, ISO-week and month boundaries.</summary>
    private static readonly long T0 = new DateTimeOffset(2026, 1, 31, 20, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly string[] Names = ["a", "b", "c", "d"];

    private Scenario(int seed)
    {
        Seed = seed;
        Random = new Random(seed);
        var r = Random;
        // Ten-minute grid for tight windows, five-hour grid for multi-day series.
        Unit = r.Next(2) == 0 ? 600_000 : 5 * 3_600_000;
        // Half the scenarios are dense: two names, two sessions and a short span, so chains, ties and repeats abound.
        var dense = r.Next(2) == 0;
        _names = dense ? Names[..2] : Names;
        var count = r.Next(0, dense ? 26 : 22);
        for (var i = 0; i < count; i++)
        {
            var props = new Dictionary<string, string?>();
            Maybe(props, "p", r, "x", "y", "x");
            Maybe(props, "n", r, "1", "2", "3", "2.5", "-1", "abc");
            Maybe(props, "k", r, "u", "v");
            var ts = T0 + r.Next(-3, dense ? 9 : 16) * Unit + (r.Next(8) == 0 ? r.Next(1, 1000) : 0);
            Events.Add(new AnalyticsEvent(_names[r.Next(_names.Length)], ts,
                dense ? Pick(r, "s1", "s2", null) : Pick(r, "s1", "s2", "s3", null),
                dense ? Pick(r, "a1", "a2", null) : Pick(r, "a1", "a2", "a3", "a4", null),
                Pick(r, "u1", "u2", "u3", null, null),
                props, r.Next(10) == 0 ? r.Next(2, 4) : 1));
        }
        var links = r.Next(0, 5);
        for (var i = 0; i < links; i++)
        {
            var to = "u" + r.Next(1, 4);
            Links.Add(r.Next(4) switch
            {
                0 => new IdentityLink("a" + r.Next(1, 5), to, IdentityLink.Identify, DateTimeOffset.UnixEpoch),
                1 => new IdentityLink("u" + r.Next(1, 4), to, IdentityLink.Alias, DateTimeOffset.UnixEpoch),
                2 => new IdentityLink("mk:h" + r.Next(2), to, IdentityLink.MergeKey, DateTimeOffset.UnixEpoch),
                _ => new IdentityLink("a" + r.Next(1, 5), to, IdentityLink.Alias, DateTimeOffset.UnixEpoch),
            });
        }
        var from = T0 + r.Next(-2, 6) * Unit + (r.Next(4) == 0 ? Unit / 2 : 0);
        Range = new TimeRange(DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(from + r.Next(0, 11) * Unit));
    }

    private readonly string[] _names;

    public int Seed { get; }
    /// <summary>Continues the seed's stream, for the query generated with the data.</summary>
    public Random Random { get; }
    public long Unit { get; }
    public List<AnalyticsEvent> Events { get; } = [];
    public List<IdentityLink> Links { get; } = [];
    public TimeRange Range { get; }
    public IdentityGraph Graph => new(Links);

    /// <summary>The same events in another order: engines must not depend on arrival order.</summary>
    public List<AnalyticsEvent> Shuffled() => Events.OrderBy(_ => Random.Next()).ToList();

    public static Scenario Of(int seed) => new(seed);

    private static void Maybe(Dictionary<string, string?> props, string key, Random r, params string[] values)
    {
        var i = r.Next(values.Length + 2);
        if (i < values.Length) props[key] = values[i];
        else if (i == values.Length) props[key] = null;
    }

    private static string? Pick(Random r, params string?[] values) => values[r.Next(values.Length)];

    public EventFilter Filter(bool allowAny = true)
    {
        var r = Random;
        var name = allowAny && r.Next(8) == 0 ? EventFilter.AnyEvent : _names[r.Next(_names.Length)];
        return r.Next(4) == 0 ? EventFilter.Of(name, ("p", "x")) : EventFilter.Of(name);
    }

    public TimeSpan Window() => TimeSpan.FromMilliseconds(Random.Next(0, 5) * Unit + (Random.Next(4) == 0 ? Unit / 2 : 0));

    public CountingUnit ActorUnit() => Random.Next(3) switch { 0 => CountingUnit.Session, 1 => CountingUnit.User, _ => CountingUnit.Anonymous };

    public override string ToString()
    {
        var sb = new StringBuilder($"seed {Seed}, range [{Range.FromMs - T0}, {Range.ToMs - T0}) ms from T0, grid {Unit} ms\n");
        foreach (var e in Events)
            sb.Append(CultureInfo.InvariantCulture, $"  {e.Name} t={e.TimestampMs - T0} s={e.SessionId} a={e.AnonymousId} u={e.UserId} n={e.Count} {{{string.Join(",", e.Properties.Select(p => $"{p.Key}={p.Value ?? "null"}"))}}}\n");
        foreach (var l in Links) sb.Append(CultureInfo.InvariantCulture, $"  link {l.FromId} -> {l.ToUserId} ({l.Kind})\n");
        return sb.ToString();
    }

    /// <summary>Runs <paramref name="property"/> on many generated scenarios; a failure names the scenario's seed and data.</summary>
    public static void Check(Action<Scenario> property, int tests = 400)
    {
        var scenarios = Gen.Choose(0, int.MaxValue - 1).Select(Of);
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(tests).WithQuietOnSuccess(true), Prop.ForAll(Arb.From(scenarios), property));
    }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new RoundedDouble() }, WriteIndented = true };

    /// <summary>Results compared as JSON, doubles rounded so that summation order does not matter.</summary>
    public static void Same<T>(T expected, T actual, Scenario s) =>
        Assert.True(JsonSerializer.Serialize(expected, Json) == JsonSerializer.Serialize(actual, Json),
            $"reference:\n{JsonSerializer.Serialize(expected, Json)}\nengine:\n{JsonSerializer.Serialize(actual, Json)}\n{s}");

    private sealed class RoundedDouble : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value, 9));
    }
}
