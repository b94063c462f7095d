using System.Text;
using Microsoft.AspNetCore.Http;
using Tally.Core.Governance;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

/// <summary>
/// Finds the caller's key: HTTP Basic user name (Segment SDKs), <c>X-Write-Key</c>, <c>Authorization: Bearer</c>, or a
/// body <c>writeKey</c>. Keys from the environment are looked up as given; any other key is hashed and looked up among
/// the store's keys (<see cref="StoredKeyCache"/>), where a revoked key is found, and refused, as revoked.
/// </summary>
public sealed class Auth(IReadOnlyList<ApiKey> keys, StoredKeyCache? stored = null)
{
    private readonly Dictionary<string, ApiKey> _byKey = keys.GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.OrderByDescending(k => k.Role).First(), StringComparer.Ordinal);

    /// <summary>The store's keys, when the store keeps any; null otherwise.</summary>
    public StoredKeyCache? Stored => stored;

    /// <summary>The caller's active key, or null (none presented, unknown, or revoked).</summary>
    public ApiKey? Resolve(HttpRequest request, string? bodyKey = null) => Lookup(Presented(request) ?? bodyKey).Key;

    /// <summary>What a presented key is: an active key, a revoked stored key (Key null, Revoked set), or nothing known.</summary>
    public KeyLookup Lookup(string? presented)
    {
        if (presented is null) return KeyLookup.None;
        if (_byKey.TryGetValue(presented, out var k)) return new KeyLookup(k, null);
        if (stored?.Find(ApiKeySecret.Hash(presented)) is not { } s) return new KeyLookup(null, null);
        if (s.RevokedAt is { } revoked) return new KeyLookup(null, revoked);
        return Enum.TryParse<Role>(s.Role, ignoreCase: true, out var role)
            ? new KeyLookup(new ApiKey(presented, role, s.Environment, s.Id), null)
            : new KeyLookup(null, null);
    }

    /// <summary>The 401 for a request without an active key: what was missing, or that the key is unknown or revoked.</summary>
    public IResult Refuse(HttpRequest request, string whenMissing, string? bodyKey = null)
    {
        var presented = Presented(request) ?? bodyKey;
        if (presented is null) return Unauthorized(whenMissing);
        return Lookup(presented).RevokedAt is { } at
            ? Unauthorized($"this key was revoked at {at:yyyy-MM-ddTHH:mm:ssZ}")
            : Unauthorized("unknown key");
    }

    public static string? Presented(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
                var colon = decoded.IndexOf(':');
                var user = colon >= 0 ? decoded[..colon] : decoded;
                if (user.Length > 0) return user;
            }
            catch (FormatException)
            {
                return null;
            }
        }
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        var header = request.Headers["X-Write-Key"].ToString();
        return header.Length > 0 ? header : null;
    }

    public static IResult Unauthorized(string message) =>
        Results.Json(new ErrorBody("unauthorized", message), TallyServerJson.Default.ErrorBody, statusCode: 401);

    public static IResult Forbidden(string message) =>
        Results.Json(new ErrorBody("forbidden", message), TallyServerJson.Default.ErrorBody, statusCode: 403);
}

/// <summary>The result of looking a presented key up.</summary>
public sealed record KeyLookup(ApiKey? Key, DateTimeOffset? RevokedAt)
{
    public static KeyLookup None { get; } = new(null, null);
}
