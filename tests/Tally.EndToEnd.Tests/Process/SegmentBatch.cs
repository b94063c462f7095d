using System.Text.Json.Nodes;

namespace Tally.EndToEnd.Tests.Process;

/// <summary>
/// One <c>/v1/batch</c> body of <c>aurora_widget_open</c> track calls, each with a unique messageId, kept as the
/// exact bytes that were sent so a retry resends the very same request.
/// </summary>
public sealed record SegmentBatch(string Json, IReadOnlyList<string> MessageIds)
{
    /// <summary>The requestId property sent with <paramref name="messageId"/>, so stored rows can be checked against what was sent.</summary>
    public static string RequestIdOf(string messageId) => "req-" + messageId;

    public static SegmentBatch Create(string prefix, int size, DateTimeOffset now)
    {
        var ids = new List<string>(size);
        var events = new JsonArray();
        for (var i = 0; i < size; i++)
        {
            var id = $"{prefix}-{i:D3}";
            ids.Add(id);
            events.Add(new JsonObject
            {
                ["type"] = "track",
                ["event"] = "aurora_widget_open",
                ["messageId"] = id,
                ["anonymousId"] = $"{prefix}-anon",
                ["timestamp"] = now.ToString("O"),
                ["properties"] = new JsonObject
                {
                    ["sessionId"] = $"{prefix}-session",
                    ["requestId"] = RequestIdOf(id),
                    ["source"] = "launcher",
                },
            });
        }
        var body = new JsonObject { ["batch"] = events, ["sentAt"] = now.ToString("O") };
        return new SegmentBatch(body.ToJsonString(), ids);
    }
}
