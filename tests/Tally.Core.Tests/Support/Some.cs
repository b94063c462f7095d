using System.Text;
using System.Text.Json;
using Tally.Core.Pipeline;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Support;

/// <summary>Test data: payloads, request contexts and pipelines with a fixed clock and salt.</summary>
public static class Some
{
    /// <summary>The fixed receipt time every context defaults to, so timestamps are predictable.</summary>
    public static readonly DateTimeOffset Now = new(2024, 5, 21, 10, 0, 0, TimeSpan.Zero);

    public static readonly byte[] Salt = Encoding.UTF8.GetBytes("test-salt-not-a-secret");

    public static IngestContext Context(DateTimeOffset? receivedAt = null, string? environment = null, string requestId = "req-1") =>
        new(receivedAt ?? Now, "test:/v1/batch", requestId, environment);

    /// <summary>A parsed payload that outlives its document (cloned), so tests need not dispose anything.</summary>
    public static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static string Id() => Guid.NewGuid().ToString("N");

    public static EventPipeline Pipeline(TrackingPlan plan, byte[]? salt = null, OptOutRegistry? optOuts = null, PipelineOptions? options = null) =>
        new(plan, options ?? new PipelineOptions { HashSalt = salt ?? Salt }, optOuts ?? new OptOutRegistry());

    public static EventPipeline Pipeline(string planYaml, byte[]? salt = null) => Pipeline(TestPlans.Parse(planYaml), salt);

    /// <summary>Runs one JSON payload through the pipeline at <see cref="Now"/>.</summary>
    public static PipelineOutcome Process(this EventPipeline pipeline, string json, IngestContext? ctx = null, int rawBytes = 0) =>
        pipeline.Process(Json(json), ctx ?? Context(), rawBytes: rawBytes);

    /// <summary>A Segment track call; <paramref name="properties"/> is the inside of the properties object.</summary>
    public static string Track(string @event, string properties = "", string? userId = "u-1", string? anonymousId = "anon-1",
        string? messageId = null, string? extra = null)
    {
        var sb = new StringBuilder();
        sb.Append($$"""{"type":"track","event":"{{@event}}","messageId":"{{messageId ?? Id()}}" """);
        if (userId is not null) sb.Append($$""","userId":"{{userId}}" """);
        if (anonymousId is not null) sb.Append($$""","anonymousId":"{{anonymousId}}" """);
        if (extra is not null) sb.Append(',').Append(extra);
        sb.Append(",\"properties\":{").Append(properties).Append("}}");
        return sb.ToString();
    }
}
