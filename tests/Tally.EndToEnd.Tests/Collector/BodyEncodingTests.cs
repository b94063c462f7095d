using System.IO.Compression;
using System.Text;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Collector;

/// <summary>
/// Real SDKs label bodies loosely: JSON as text/plain (no CORS preflight), gzip under a form content type. The
/// collector trusts the bytes, not the labels.
/// </summary>
public sealed class BodyEncodingTests(AuroraServer fixture) : IClassFixture<AuroraServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task JSON_posted_as_text_plain_is_accepted()
    {
        var call = Some.WidgetOpen();

        var posted = await Server.PostAsync("/v1/batch", Some.Batch(call), contentType: "text/plain;charset=UTF-8");

        posted.ShouldBeIngested(accepted: 1);
        Assert.Equal(call["messageId"]!.GetValue<string>(), Assert.Single(await Server.EventsOfAsync(posted.RequestId)).EventId);
    }

    [Fact]
    public async Task A_gzip_body_with_content_encoding_gzip_is_decompressed()
    {
        var events = Enumerable.Range(0, 5).Select(_ => Some.IntentDetected()).ToArray();
        var ids = events.Select(e => e["messageId"]!.GetValue<string>()).Order().ToList();

        var posted = await Server.SendAsync("/v1/batch", Gzip(Some.Batch(events)), "application/json", Server.WriteKey,
            r => r.Content!.Headers.ContentEncoding.Add("gzip"));

        posted.ShouldBeIngested(accepted: 5);
        Assert.Equal(ids, (await Server.EventsOfAsync(posted.RequestId)).Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_chunked_body_with_no_content_length_larger_than_the_first_read_buffer_arrives_whole()
    {
        // No Content-Length: the collector starts with a 16 KB buffer and grows it while reading.
        var events = Enumerable.Range(0, 150).Select(_ => Some.IntentDetected()).ToArray();
        var body = Encoding.UTF8.GetBytes(Some.Batch(events));
        Assert.True(body.Length > 32 * 1024);

        var posted = await Server.SendAsync("/v1/batch", new StreamContent(new MemoryStream(body)), "application/json", Server.WriteKey,
            r => r.Headers.TransferEncodingChunked = true);

        posted.ShouldBeIngested(accepted: 150);
        Assert.Equal(events.Select(e => e["messageId"]!.GetValue<string>()).Order(), (await Server.EventsOfAsync(posted.RequestId)).Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_gzip_body_that_inflates_past_the_first_read_buffer_arrives_whole()
    {
        var events = Enumerable.Range(0, 150).Select(_ => Some.IntentDetected()).ToArray();

        var posted = await Server.SendAsync("/v1/batch", Gzip(Some.Batch(events)), "application/json", Server.WriteKey,
            r => r.Content!.Headers.ContentEncoding.Add("gzip"));

        posted.ShouldBeIngested(accepted: 150);
        Assert.Equal(150, (await Server.EventsOfAsync(posted.RequestId)).Count);
    }

    [Fact]
    public async Task A_gzip_body_labelled_as_a_form_without_content_encoding_is_accepted()
    {
        var call = Some.WidgetOpen();

        var posted = await Server.SendAsync("/v1/batch", Gzip(Some.Batch(call)), "application/x-www-form-urlencoded", Server.WriteKey);

        posted.ShouldBeIngested(accepted: 1);
        Assert.Equal(call["messageId"]!.GetValue<string>(), Assert.Single(await Server.EventsOfAsync(posted.RequestId)).EventId);
    }

    [Fact]
    public async Task A_body_labelled_gzip_that_is_not_gzip_is_read_as_the_JSON_it_is()
    {
        var call = Some.WidgetOpen();

        var posted = await Server.SendAsync("/v1/track", new ByteArrayContent(Encoding.UTF8.GetBytes(call.ToJsonString())), "application/json", Server.WriteKey,
            r => r.Content!.Headers.ContentEncoding.Add("gzip"));

        posted.ShouldBeIngested(accepted: 1);
        Assert.Single(await Server.EventsOfAsync(posted.RequestId));
    }

    private static ByteArrayContent Gzip(string json)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(json));
        return new ByteArrayContent(ms.ToArray());
    }
}
