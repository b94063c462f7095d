using System.Text;
using Microsoft.AspNetCore.Http;
using Tally.Server.Configuration;

namespace Tally.Server.Endpoints;

/// <summary>Finds the caller's key: HTTP Basic user name (Segment SDKs), <c>X-Write-Key</c>, <c>Authorization: Bearer</c>, or a body <c>writeKey</c>.</summary>
public sealed class Auth(IReadOnlyList<ApiKey> keys)
{
    private readonly Dictionary<string, ApiKey> _byKey = keys.GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.OrderByDescending(k => k.Role).First(), StringComparer.Ordinal);

    public ApiKey? Resolve(HttpRequest request, string? bodyKey = null)
    {
        var presented = Presented(request) ?? bodyKey;
        return presented is not null && _byKey.TryGetValue(presented, out var k) ? k : null;
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
