using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Collector;

/// <summary>
/// Bad input is answered with a JSON body naming the problem (never a stack trace), and a bad event never takes the
/// valid events beside it down with it.
/// </summary>
public sealed class BadInputTests(AuroraServer fixture) : IClassFixture<AuroraServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Malformed_JSON_is_answered_400_malformed_json()
    {
        var body = Some.Batch(Some.WidgetOpen())[..^5];

        var posted = await Server.PostAsync("/v1/batch", body);

        posted.ShouldBeError(HttpStatusCode.BadRequest, "malformed_json");
        await AssertNothingStored(posted);
    }

    [Fact]
    public async Task A_body_over_500_KB_is_answered_413()
    {
        var padding = new string('x', 20_000);
        var events = Enumerable.Range(0, 30).Select(_ => Some.Track("aurora_widget_open", new JsonObject { ["source"] = "launcher", ["entryPoint"] = padding })).ToArray();
        var body = Some.Batch(events);
        Assert.True(body.Length > 500 * 1024);

        var posted = await Server.PostAsync("/v1/batch", body);

        posted.ShouldBeError(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        await AssertNothingStored(posted);
    }

    [Fact]
    public async Task An_event_over_32_KB_in_a_batch_is_quarantined_and_the_others_are_stored()
    {
        var small = Enumerable.Range(0, 3).Select(_ => Some.IntentDetected()).ToArray();
        var large = Some.Track("aurora_widget_open", new JsonObject { ["source"] = "launcher", ["userRole"] = new string('y', 40_000) });

        var posted = await Server.PostAsync("/v1/batch", Some.Batch([small[0], large, small[1], small[2]]));

        posted.ShouldBeIngested(accepted: 3, quarantined: 1);
        Assert.Equal(small.Select(e => e["messageId"]!.GetValue<string>()).Order(), (await Server.EventsOfAsync(posted.RequestId)).Select(e => e.EventId).Order());
        var q = Assert.Single(await Server.QuarantineOfAsync(posted.RequestId));
        Assert.Equal(large["messageId"]!.GetValue<string>(), q.EventId);
        Assert.Contains(q.Reasons, r => r.Code == "event_too_large");
        Assert.True(Encoding.UTF8.GetByteCount(q.PayloadJson) < 32 * 1024, "the quarantine keeps an identifying envelope, not the oversized payload");
    }

    [Fact]
    public async Task Multipart_form_data_is_answered_415()
    {
        using var form = new MultipartFormDataContent { { new StringContent(Some.Batch(Some.WidgetOpen())), "batch" } };

        var posted = await Server.SendAsync("/v1/batch", form, contentType: null, Server.WriteKey);

        posted.ShouldBeError(HttpStatusCode.UnsupportedMediaType, "unsupported_body");
        await AssertNothingStored(posted);
    }

    [Fact]
    public async Task JSON_nested_deeper_than_64_levels_is_answered_400_too_deep()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70);
        var body = $$"""{"batch":[{"type":"track","event":"aurora_widget_open","properties":{{deep}}}]}""";

        var posted = await Server.PostAsync("/v1/batch", body);

        posted.ShouldBeError(HttpStatusCode.BadRequest, "too_deep");
        await AssertNothingStored(posted);
    }

    [Fact]
    public async Task Invalid_UTF8_inside_one_event_quarantines_that_event_and_stores_the_others()
    {
        var before = Some.IntentDetected();
        var broken = Some.WidgetOpen();
        broken["properties"]!["source"] = "MARKER";
        var after = Some.IntentDetected();
        var bytes = Encoding.UTF8.GetBytes(Some.Batch(before, broken, after)).ToList();
        var marker = Encoding.UTF8.GetBytes("MARKER");
        var at = IndexOf(bytes, marker);
        bytes.RemoveRange(at, marker.Length);
        bytes.InsertRange(at, new byte[] { (byte)'l', 0xC3, 0x28, 0xFF, (byte)'r' }); // an invalid two-byte sequence and a stray 0xFF

        var posted = await Server.SendAsync("/v1/batch", new ByteArrayContent([.. bytes]), "application/json", Server.WriteKey);

        posted.ShouldBeIngested(accepted: 2, quarantined: 1);
        Assert.Equal(new[] { before, after }.Select(e => e["messageId"]!.GetValue<string>()).Order(), (await Server.EventsOfAsync(posted.RequestId)).Select(e => e.EventId).Order());
        var q = Assert.Single(await Server.QuarantineOfAsync(posted.RequestId));
        Assert.Equal(broken["messageId"]!.GetValue<string>(), q.EventId);
        Assert.Contains(q.Reasons, r => r.Code == "invalid_utf8");
    }

    [Fact]
    public async Task A_timestamp_three_days_ahead_is_clamped_to_receipt_and_the_original_kept()
    {
        var call = Some.WidgetOpen();
        var future = Some.Iso(DateTimeOffset.UtcNow.AddDays(3));
        call["timestamp"] = future;

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(call));

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await Server.EventsOfAsync(posted.RequestId));
        Assert.Equal(stored.ReceivedAt, stored.Timestamp);
        Assert.Equal(future, stored.OriginalTimestamp);
    }

    [Fact]
    public async Task An_empty_batch_is_answered_400_empty_batch()
    {
        var posted = await Server.PostAsync("/v1/batch", """{"batch":[]}""");

        posted.ShouldBeError(HttpStatusCode.BadRequest, "empty_batch");
    }

    [Theory]
    [InlineData("/v1/batch", "")]
    [InlineData("/v1/track", "  \n ")]
    [InlineData("/v1/events", "")]
    public async Task An_empty_body_is_answered_400(string path, string body)
    {
        var posted = await Server.PostAsync(path, body);

        posted.ShouldBeError(HttpStatusCode.BadRequest, "empty_body");
    }

    [Fact]
    public async Task A_batch_that_is_not_a_batch_object_is_answered_400()
    {
        var posted = await Server.PostAsync("/v1/batch", Some.Array(Some.WidgetOpen()));

        posted.ShouldBeError(HttpStatusCode.BadRequest, "not_a_batch");
        await AssertNothingStored(posted);
    }

    private async Task AssertNothingStored(Posted posted)
    {
        Assert.Empty(await Server.EventsOfAsync(posted.RequestId));
        Assert.Empty(await Server.QuarantineOfAsync(posted.RequestId));
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Count - needle.Length; i++)
            if (haystack.Skip(i).Take(needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("marker not found");
    }
}
