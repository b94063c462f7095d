using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tally.Core.Privacy;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Privacy;

/// <summary>
/// The promise every seed makes: raw personal data is never stored. Events carrying an email, a phone number, an
/// order number and a free-text comment are posted every way they can arrive (declared with a privacy policy,
/// undeclared, in Segment's context and traits, in events that fail the plan, in a malformed body, in an oversized
/// event, beside invalid UTF-8); afterwards the raw strings are in no byte of the SQLite files, nowhere in the
/// quarantine API's answer, and in no log line.
/// </summary>
public sealed class PersonalDataTests
{
    private const string Email = "maya.student@example.com";
    private const string Phone = "+1-555-0100";
    private const string OrderNumber = "ORD-123456";
    private const string Comment = "Maya loved the emerald ring but the clasp broke twice, call me after 6pm";
    private const string Ip = "203.0.113.77";
    private const string UserAgent = "Mozilla/5.0 (MayaPhone; rv:99) MayaBrowser/1.0";

    private static readonly RawStrings Raw = new(Email, Phone, OrderNumber, Comment, "clasp broke twice", Ip, UserAgent);

    [Fact]
    public async Task Raw_email_phone_order_number_and_comment_are_stored_nowhere_and_logged_nowhere()
    {
        await using var server = await TestServer.StartAsync(Repo.PathOf("plans", "aurora-concierge.yaml"));
        const string Session = "sess-pii-control";

        // Valid events: declared raw-PII properties (pii: hash / length), undeclared copies, Segment context and traits.
        var subscribed = WithContext(Some.Track("aurora_order_updates_subscribed", new JsonObject
        {
            ["channel"] = "email",
            ["contactEmail"] = Email,
            ["contactPhone"] = Phone,
            ["orderNumber"] = OrderNumber,
            ["email"] = Email,
            ["phone"] = Phone,
            ["note"] = Comment,
        }, Session));
        var csat = WithContext(Some.Track("aurora_csat_submitted", new JsonObject { ["rating"] = "good", ["comment"] = Comment }, Session));
        var texts = WithContext(Some.Track("aurora_timeline_text_updates", new JsonObject { ["success"] = true, ["contactPhone"] = Phone, ["orderNumber"] = OrderNumber }, Session));
        var tracked = WithContext(Some.Track("aurora_order_tracked", new JsonObject { ["intent"] = "track_order", ["orderNumber"] = OrderNumber }, Session));
        var identify = new JsonObject
        {
            ["type"] = "identify",
            ["messageId"] = Some.Id(),
            ["anonymousId"] = Some.Id("anon"),
            ["userId"] = "usr-pii",
            ["traits"] = new JsonObject { ["email"] = Email, ["phone"] = Phone, ["lastOrder"] = OrderNumber },
            ["context"] = Context(),
        };
        // Invalid events carrying the same strings, so they land in quarantine.
        var badChannel = WithContext(Some.Track("aurora_order_updates_subscribed", new JsonObject
        {
            ["channel"] = "whatsapp",
            ["contactEmail"] = Email,
            ["contactPhone"] = Phone,
            ["orderNumber"] = OrderNumber,
            ["email"] = Email,
            ["comment"] = Comment,
        }, Session));
        var badRating = WithContext(Some.Track("aurora_csat_submitted", new JsonObject { ["rating"] = "amazing", ["comment"] = Comment, ["phone"] = Phone }, Session));
        var unknown = WithContext(Some.Track("aurora_concierge_chat", new JsonObject { ["email"] = Email, ["phone"] = Phone, ["order"] = OrderNumber, ["message"] = Comment }, Session));
        var unknownShared = WithContext(Some.Track("aurora_concierge_callback", new JsonObject { ["contactEmail"] = Email, ["contactPhone"] = Phone, ["orderNumber"] = OrderNumber, ["comment"] = Comment }, Session));
        var missing = WithContext(Some.Track("aurora_return_initiated", new JsonObject { ["option"] = "resize", ["orderNumber"] = OrderNumber, ["address"] = Comment }, Session));

        var valid = await server.PostAsync("/v1/batch", Some.Batch(subscribed, csat, texts, tracked, identify));
        var invalid = await server.PostAsync("/v1/batch", Some.Batch(badChannel, badRating, unknown, unknownShared, missing));
        var malformed = await server.PostAsync("/v1/batch", Some.Batch(Some.Track("aurora_concierge_chat", new JsonObject { ["email"] = Email, ["message"] = Comment }))[..^3]);
        var oversized = await server.PostAsync("/v1/batch", Some.Batch(
            Some.Track("aurora_csat_submitted", new JsonObject { ["rating"] = "great", ["comment"] = Comment + new string(' ', 40_000), ["email"] = Email, ["phone"] = Phone })));
        var brokenUtf8 = await server.SendAsync("/v1/batch", new ByteArrayContent(WithInvalidUtf8(Some.Batch(
            Some.Track("aurora_order_updates_subscribed", new JsonObject { ["channel"] = "sms", ["contactPhone"] = Phone, ["contactEmail"] = Email, ["orderNumber"] = OrderNumber, ["error"] = "BROKEN" }),
            Some.Track("aurora_csat_submitted", new JsonObject { ["rating"] = "okay", ["comment"] = Comment })))), "application/json", server.WriteKey);

        valid.ShouldBeIngested(accepted: 5);
        invalid.ShouldBeIngested(accepted: 0, quarantined: 5);
        malformed.ShouldBeError(HttpStatusCode.BadRequest, "malformed_json");
        oversized.ShouldBeIngested(accepted: 0, quarantined: 1);
        brokenUtf8.ShouldBeIngested(accepted: 1, quarantined: 1);

        // What was kept is what the policies promise: hashes under the declared names, a length for the comment.
        var hasher = new PropertyHasher(server.Salt);
        var stored = (await server.EventsOfAsync(valid.RequestId)).ToDictionary(e => e.Name);
        var subscribedProps = JsonNode.Parse(stored["aurora_order_updates_subscribed"].PropertiesJson)!.AsObject();
        Assert.Equal(hasher.Hash(Email), subscribedProps["contactEmail"]!.GetValue<string>());
        Assert.Equal(hasher.Hash(Phone), subscribedProps["contactPhone"]!.GetValue<string>());
        Assert.Equal(hasher.Hash(OrderNumber), subscribedProps["orderNumber"]!.GetValue<string>());
        Assert.False(subscribedProps.ContainsKey("email") || subscribedProps.ContainsKey("phone") || subscribedProps.ContainsKey("note"), "undeclared properties are dropped");
        Assert.Equal(Comment.Length, JsonNode.Parse(stored["aurora_csat_submitted"].PropertiesJson)!["comment"]!.GetValue<int>());

        var listing = await server.GetStringAsync("/v1/quarantine?sample=100", server.AnalystKey);
        Assert.Contains("aurora_concierge_chat", listing); // the listing does hold the quarantined events
        Assert.Empty(Raw.FoundIn(listing));

        var files = ReadStoreFiles(server);
        Assert.Contains(Session, Encoding.UTF8.GetString(files.Values.SelectMany(b => b).ToArray())); // the scan sees what was stored
        AssertNoRawStrings(files, "while the server runs");

        await server.StopAsync();

        var closed = ReadStoreFiles(server);
        Assert.Contains(hasher.Hash(Email), Encoding.UTF8.GetString(closed.Values.SelectMany(b => b).ToArray()));
        AssertNoRawStrings(closed, "after the server stopped");
        var logs = server.Logs.Lines;
        Assert.Contains(logs, l => l.Contains("Quarantined", StringComparison.Ordinal)); // the capture works
        Assert.All(logs, line => Assert.True(Raw.FoundIn(line).Count == 0, $"raw personal data in a log line: {line}"));
    }

    private static JsonObject Context() => new()
    {
        ["ip"] = Ip,
        ["userAgent"] = UserAgent,
        ["traits"] = new JsonObject { ["email"] = Email, ["phone"] = Phone },
        ["page"] = new JsonObject { ["url"] = $"https://aurora.example/orders/{OrderNumber}?email={Uri.EscapeDataString(Email)}" },
        ["library"] = new JsonObject { ["name"] = "analytics.js", ["version"] = "5.2.0" },
    };

    private static JsonObject WithContext(JsonObject call)
    {
        call["context"] = Context();
        return call;
    }

    /// <summary>Replaces the marker BROKEN with bytes that are not UTF-8.</summary>
    private static byte[] WithInvalidUtf8(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var marker = "BROKEN"u8.ToArray();
        var at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at >= 0);
        bytes[at + 1] = 0xC3;
        bytes[at + 2] = 0x28;
        return bytes;
    }

    /// <summary>The database file and its WAL and shared-memory files, read while they may still be open.</summary>
    private static Dictionary<string, byte[]> ReadStoreFiles(TestServer server)
    {
        var files = new Dictionary<string, byte[]>();
        foreach (var path in Directory.EnumerateFiles(server.DataDirectory))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            files[Path.GetFileName(path)] = ms.ToArray();
        }
        Assert.Contains("tally.db", files.Keys);
        return files;
    }

    private static void AssertNoRawStrings(Dictionary<string, byte[]> files, string when)
    {
        foreach (var (name, bytes) in files)
        {
            var found = Raw.FoundIn(bytes);
            Assert.True(found.Count == 0, $"{name} holds raw personal data {when}: {string.Join(", ", found)}");
        }
    }
}
