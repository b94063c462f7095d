using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Governance;
using Tally.Core.Storage;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

/// <summary>A stored key as listed: never the key, never its hash.</summary>
public sealed record KeyInfo(string Id, string Name, string Role, string? Environment, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyInfo Of(StoredApiKey k) => new(k.Id, k.Name, k.Role, k.Environment, k.CreatedAt, k.RevokedAt);
}

/// <summary>The answer to a create: the only time the key itself is ever shown.</summary>
public sealed record CreatedKey(string Id, string Name, string Role, string? Environment, DateTimeOffset CreatedAt, string Key);

public sealed record KeyListing(IReadOnlyList<KeyInfo> Keys);

public sealed record KeyRequest(string? Role, string? Environment, string? Name);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(KeyInfo))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(KeyListing))]
[JsonSerializable(typeof(KeyRequest))]
public sealed partial class KeyJson : JsonSerializerContext;

/// <summary>
/// <c>POST /v1/keys</c> <c>{"role": "viewer", "environment": null, "name": "grafana"}</c> → 201 with the key (shown
/// once); <c>GET /v1/keys</c>; <c>DELETE /v1/keys/{id}</c> (revokes; the key keeps its row). Admin keys only. A change
/// made here applies to this server at once, and to other collectors on the same store within their refresh interval.
/// </summary>
public static class KeyEndpoints
{
    private const string What = "key management";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/keys", CreateAsync);
        app.MapGet("/v1/keys", async (HttpContext http, Auth auth, TallyServerOptions options) =>
        {
            if (Access.Require(http.Request, auth, Role.Admin, What, out _) is { } denied) return denied;
            if (options.Store is not IKeyStore store) return NotKept();
            var keys = await store.ListKeysAsync(http.RequestAborted).ConfigureAwait(false);
            return Results.Json(new KeyListing(keys.Select(KeyInfo.Of).ToList()), KeyJson.Default.KeyListing);
        });
        app.MapDelete("/v1/keys/{id}", async (HttpContext http, Auth auth, TallyServerOptions options, string id) =>
        {
            if (Access.Require(http.Request, auth, Role.Admin, What, out _) is { } denied) return denied;
            if (options.Store is not IKeyStore store) return NotKept();
            if (!await store.RevokeKeyAsync(id, DateTimeOffset.UtcNow, http.RequestAborted).ConfigureAwait(false))
                return Error(404, "unknown_key", $"no stored key has id '{id}'");
            if (auth.Stored is { } cache) await cache.RefreshAsync(http.RequestAborted).ConfigureAwait(false);
            var revoked = (await store.ListKeysAsync(http.RequestAborted).ConfigureAwait(false)).Single(k => k.Id == id);
            return Results.Json(KeyInfo.Of(revoked), KeyJson.Default.KeyInfo);
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, Auth auth, TallyServerOptions options)
    {
        if (Access.Require(http.Request, auth, Role.Admin, What, out _) is { } denied) return denied;
        if (options.Store is not IKeyStore store) return NotKept();
        KeyRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, KeyJson.Default.KeyRequest, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Error(400, "malformed_json", "the body is not JSON; expected {\"role\": \"writer|viewer|analyst|admin\", \"environment\": ENV, \"name\": NAME}");
        }
        var (key, error) = Make(request?.Role, request?.Environment, request?.Name, options.Plan.Environments, DateTimeOffset.UtcNow);
        if (error is not null) return Error(400, "invalid_key_request", error);
        var secret = ApiKeySecret.NewKey();
        var stored = key! with { Hash = ApiKeySecret.Hash(secret) };
        await store.CreateKeyAsync(stored, http.RequestAborted).ConfigureAwait(false);
        if (auth.Stored is { } cache) await cache.RefreshAsync(http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new CreatedKey(stored.Id, stored.Name, stored.Role, stored.Environment, stored.CreatedAt, secret), KeyJson.Default.CreatedKey, statusCode: 201);
    }

    /// <summary>
    /// Checks a create request and makes the key's record (without its hash). Shared with <c>tally keys create</c>.
    /// An environment is for writer keys only, and must be one the plan lists when a plan is known.
    /// </summary>
    public static (StoredApiKey? Key, string? Error) Make(string? role, string? environment, string? name, IReadOnlyList<string>? planEnvironments, DateTimeOffset now)
    {
        var r = role?.Trim().ToLowerInvariant();
        if (r is null || !ApiKeySecret.Roles.Contains(r))
            return (null, $"role must be one of {string.Join(", ", ApiKeySecret.Roles)}");
        if (!string.IsNullOrEmpty(environment))
        {
            if (r != "writer") return (null, "only writer keys have an environment (the environment their events are stored under)");
            if (planEnvironments is { Count: > 0 } && !planEnvironments.Contains(environment))
                return (null, $"environment '{environment}' is not one of {string.Join(", ", planEnvironments)}");
        }
        var id = ApiKeySecret.NewId();
        return (new StoredApiKey(id, string.IsNullOrWhiteSpace(name) ? r : name.Trim(), r, string.IsNullOrEmpty(environment) ? null : environment, now, ""), null);
    }

    private static IResult NotKept() => Error(501, "keys_not_supported", "this server's store does not keep keys");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorBody(code, message), TallyServerJson.Default.ErrorBody, statusCode: status);
}
