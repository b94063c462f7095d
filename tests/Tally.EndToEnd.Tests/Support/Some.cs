using System.Globalization;
using System.Text.Json.Nodes;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>Makes test payloads: valid ones by default, with fresh ids so tests sharing a server never collide.</summary>
public static class Some
{
    public static string Id(string prefix = "m") => $"{prefix}-{Guid.NewGuid():N}";

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    // ---- Segment (seed 000, Aurora) -----------------------------------------------------------------------

    /// <summary>A Segment track call of an Aurora event with the properties every Aurora event requires.</summary>
    public static JsonObject Track(string name, JsonObject? properties = null, string? sessionId = null, string? anonymousId = null)
    {
        var props = properties ?? [];
        props["sessionId"] ??= sessionId ?? Id("sess");
        props["requestId"] ??= Id("req");
        return new JsonObject
        {
            ["type"] = "track",
            ["event"] = name,
            ["messageId"] = Id(),
            ["anonymousId"] = anonymousId ?? Id("anon"),
            ["timestamp"] = Iso(DateTimeOffset.UtcNow.AddSeconds(-5)),
            ["properties"] = props,
        };
    }

    public static JsonObject WidgetOpen(string? sessionId = null) => Track("aurora_widget_open", new JsonObject { ["source"] = "launcher" }, sessionId);

    public static JsonObject IntentDetected(string intent = "find_product", string? sessionId = null) =>
        Track("aurora_intent_detected", new JsonObject { ["intent"] = intent }, sessionId);

    public static JsonObject ProductsShown(string? sessionId = null) =>
        Track("aurora_products_shown", new JsonObject { ["intent"] = "find_product", ["productIds"] = new JsonArray("ring-1", "ring-2") }, sessionId);

    public static string Batch(params JsonObject[] events) => new JsonObject { ["batch"] = new JsonArray(events) }.ToJsonString();

    // ---- Flat (seed 002, SkillForge) ----------------------------------------------------------------------

    /// <summary>A SkillForge event with the core properties the plan requires of user-facing events.</summary>
    public static JsonObject SkillForge(string name, string userId, bool optOut = false, string? anonymousId = null) => new()
    {
        ["event_name"] = name,
        ["event_id"] = Id("evt"),
        ["event_timestamp"] = Iso(DateTimeOffset.UtcNow.AddSeconds(-5)),
        ["anonymous_id"] = anonymousId ?? Id("anon"),
        ["user_id"] = userId,
        ["persona"] = "student",
        ["context_page"] = "/dashboard",
        ["opt_out_status"] = optOut,
    };

    public static string Array(params JsonObject[] events) => new JsonArray(events).ToJsonString();

    public static string Ndjson(params string[] lines) => string.Join("\n", lines) + "\n";
}
