using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tally.Core.Governance;
using Tally.Server.Configuration;
using Tally.Server.Governance;

namespace Tally.Server.Endpoints;

/// <summary>
/// <c>DELETE /v1/subjects</c> with a JSON body naming exactly one of <c>userId</c>, <c>anonymousId</c> or
/// <c>sessionId</c>: a GDPR deletion (<see cref="SubjectDeletion"/>), admin keys only, answered with the receipt. A repeat
/// answers 200 with zero counts.
/// </summary>
public static class SubjectEndpoints
{
    private static readonly (string Field, SubjectKind Kind)[] Fields =
        [("userId", SubjectKind.User), ("anonymousId", SubjectKind.Anonymous), ("sessionId", SubjectKind.Session)];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapDelete("/v1/subjects", async (HttpContext http, Auth auth) =>
        {
            if (Access.Require(http.Request, auth, Role.Admin, "deleting a subject", out var key) is { } denied) return denied;
            if (http.RequestServices.GetService<SubjectDeletion>() is not { } deletion)
                return Results.Json(new ErrorBody("deletion_unavailable", "this server's store does not support deletion"), TallyServerJson.Default.ErrorBody, statusCode: 501);

            var (subject, problem) = await ParseAsync(http).ConfigureAwait(false);
            if (subject is null) return Results.Json(new ErrorBody("bad_subject", problem!), TallyServerJson.Default.ErrorBody, statusCode: 400);
            http.Items[AuditFilter.TargetItem] = deletion.TargetOf(subject);
            // Not the request's token: a deletion half done because the client hung up would still be done, just unreported.
            var receipt = await deletion.DeleteAsync(subject, CancellationToken.None).ConfigureAwait(false);
            http.Items[AuditFilter.DetailItem] = receipt.Summary;
            return Results.Json(receipt, GovernanceJson.Default.DeletionReceipt);
        });
    }

    internal static async Task<(Subject? Subject, string? Problem)> ParseAsync(HttpContext http)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return (null, "the body is not JSON; expected {\"userId\": ID}, {\"anonymousId\": ID} or {\"sessionId\": ID}");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, "the body must be a JSON object with exactly one of userId, anonymousId, sessionId");
            var unknown = doc.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !Fields.Any(f => f.Field == n)).ToList();
            if (unknown.Count > 0)
                return (null, $"unknown field(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}: name exactly one of userId, anonymousId, sessionId");
            var named = Fields.Where(f => doc.RootElement.TryGetProperty(f.Field, out _)).ToList();
            if (named.Count != 1)
                return (null, named.Count == 0
                    ? "name the subject: exactly one of userId, anonymousId, sessionId"
                    : $"name exactly one subject, not {string.Join(" and ", named.Select(n => n.Field))}");
            var (field, kind) = named[0];
            var value = doc.RootElement.GetProperty(field);
            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } id || string.IsNullOrWhiteSpace(id))
                return (null, $"'{field}' must be a non-empty string");
            return (new Subject(kind, id), null);
        }
    }
}
