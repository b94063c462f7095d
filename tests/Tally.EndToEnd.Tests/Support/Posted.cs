using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>A response as the tests read it: status, body, and the request id the test sent.</summary>
public sealed record Posted(HttpStatusCode Status, string Body, string RequestId, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
    }

    public int Count(string field) => Json.GetProperty(field).GetInt32();

    /// <summary>
    /// Asserts an ingest answer: 200, <c>success: true</c>, and the counts given (accepted, duplicates, quarantined, dropped).
    /// </summary>
    public void ShouldBeIngested(int accepted, int quarantined = 0, int dropped = 0, int duplicates = 0)
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.True(Json.GetProperty("success").GetBoolean(), Body);
        Assert.Equal((accepted, quarantined, dropped, duplicates),
            (Count("accepted"), Count("quarantined"), Count("dropped"), Count("duplicates")));
    }

    /// <summary>
    /// Asserts an error answer: the status, a JSON body of exactly <c>{error, message}</c> with the code given and a
    /// sentence, and no stack trace anywhere in it.
    /// </summary>
    public void ShouldBeError(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.DoesNotContain("   at ", Body);
        Assert.DoesNotContain("Exception", Body);
        Assert.StartsWith("application/json", ContentHeaders.ContentType?.ToString());
        var json = Json;
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        Assert.Equal(["error", "message"], json.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(code, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
    }
}
