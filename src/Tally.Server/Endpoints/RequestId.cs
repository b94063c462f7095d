using Microsoft.AspNetCore.Http;

namespace Tally.Server.Endpoints;

public static class RequestId
{
    /// <summary>The caller's <c>x-request-id</c> (seed 000's requestId matches it), or a fresh one; echoed in the response.</summary>
    public static string Of(HttpContext http)
    {
        var id = http.Request.Headers["x-request-id"].ToString();
        if (id.Length is 0 or > 128) id = Guid.NewGuid().ToString("N");
        http.Response.Headers["x-request-id"] = id;
        return id;
    }
}
