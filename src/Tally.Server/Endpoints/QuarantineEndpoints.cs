using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Events;
using Tally.Core.Storage;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

public sealed record QuarantineItem(string Id, string EventId, string? EventName, IReadOnlyList<Violation> Reasons, JsonElement Payload, string Source, DateTimeOffset ReceivedAt, string? RequestId);

public sealed record QuarantineGroupBody(string Reason, long Count, IReadOnlyList<QuarantineItem> Sample);

public sealed record QuarantineListing(long Total, IReadOnlyList<QuarantineGroupBody> Groups);

/// <summary><c>GET /v1/quarantine</c>: quarantined events grouped by reason, for analysts.</summary>
public static class QuarantineEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/quarantine", async (HttpContext http, Auth auth, IEventStore store, int? sample) =>
        {
            if (Access.Require(http.Request, auth, Role.Analyst, "the quarantine (per-event data)", out _) is { } denied) return denied;
            var groups = await store.QuarantineByReasonAsync(Math.Clamp(sample ?? 5, 0, 100), http.RequestAborted);
            var body = new QuarantineListing(
                groups.Sum(g => g.Count),
                groups.Select(g => new QuarantineGroupBody(g.Reason, g.Count, g.Sample.Select(ToItem).ToList())).ToList());
            return Results.Json(body, TallyServerJson.Default.QuarantineListing);
        });
    }

    public static QuarantineItem ToItem(QuarantinedEvent q)
    {
        using var doc = JsonDocument.Parse(q.PayloadJson);
        return new QuarantineItem(q.Id, q.EventId, q.EventName, q.Reasons, doc.RootElement.Clone(), q.Source, q.ReceivedAt, q.RequestId);
    }
}
