using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Governance;

/// <summary>
/// Every route of the running app, called with no key, an unknown key, a revoked stored key, and a key of each role
/// (from the environment and from the store): refused with 401/403 and a JSON reason, or let through, exactly as the
/// table below says. A route the app maps that the table does not list fails the test: whoever adds a route adds its
/// row here, with its lowest role.
/// </summary>
public sealed class RoleMatrixTests : IAsyncLifetime
{
    private enum Lowest { Public, Ingest, Viewer, Analyst, Admin }

    private static readonly string[] Roles = ["writer", "viewer", "analyst", "admin"];

    private static string TrackBody() => Some.Track("aurora_widget_open", new() { ["source"] = "launcher" }).ToJsonString();

    private static string BatchBody() => Some.Batch(Some.WidgetOpen());

    /// <summary>METHOD pattern → the lowest role allowed, a concrete path, and a body to send.</summary>
    private static readonly Dictionary<string, (Lowest Lowest, string Path, Func<string>? Body)> Table = new()
    {
        ["POST /v1/track"] = (Lowest.Ingest, "/v1/track", TrackBody),
        ["POST /v1/identify"] = (Lowest.Ingest, "/v1/identify", TrackBody),
        ["POST /v1/page"] = (Lowest.Ingest, "/v1/page", TrackBody),
        ["POST /v1/screen"] = (Lowest.Ingest, "/v1/screen", TrackBody),
        ["POST /v1/group"] = (Lowest.Ingest, "/v1/group", TrackBody),
        ["POST /v1/alias"] = (Lowest.Ingest, "/v1/alias", TrackBody),
        ["POST /v1/batch"] = (Lowest.Ingest, "/v1/batch", BatchBody),
        ["POST /v1/b"] = (Lowest.Ingest, "/v1/b", BatchBody),
        ["POST /v1/events"] = (Lowest.Ingest, "/v1/events", TrackBody),
        ["GET /v1/funnels/{name}"] = (Lowest.Viewer, "/v1/funnels/product_engagement", null),
        ["GET /v1/kpis"] = (Lowest.Viewer, "/v1/kpis", null),
        ["GET /v1/kpis/{name}"] = (Lowest.Viewer, "/v1/kpis/order_tracking_success", null),
        ["GET /v1/attribution/{name}"] = (Lowest.Viewer, "/v1/attribution/intent_credit", null),
        ["GET /v1/journeys"] = (Lowest.Viewer, "/v1/journeys", null),
        ["GET /v1/journeys/{name}"] = (Lowest.Viewer, "/v1/journeys/track_my_order", null),
        ["GET /v1/counts"] = (Lowest.Viewer, "/v1/counts", null),
        ["POST /v1/query/funnel"] = (Lowest.Analyst, "/v1/query/funnel", () => """{"steps":["aurora_intent_detected","aurora_order_tracked"]}"""),
        ["GET /v1/quarantine"] = (Lowest.Analyst, "/v1/quarantine", null),
        ["POST /v1/keys"] = (Lowest.Admin, "/v1/keys", () => """{"role":"viewer","name":"matrix"}"""),
        ["GET /v1/keys"] = (Lowest.Admin, "/v1/keys", null),
        ["DELETE /v1/keys/{id}"] = (Lowest.Admin, "/v1/keys/key_not_a_stored_key", null),
        ["DELETE /v1/subjects"] = (Lowest.Admin, "/v1/subjects", () => """{"userId":"usr-role-matrix"}"""),
        ["GET /v1/audit"] = (Lowest.Admin, "/v1/audit", null),
        // Liveness and Prometheus scraping carry no personal data and are read by machines without keys.
        ["GET /healthz"] = (Lowest.Public, "/healthz", null),
        ["GET /metrics"] = (Lowest.Public, "/metrics", null),
    };

    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync(Repo.PathOf("plans", "aurora-concierge.yaml"));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Every_route_of_the_app_is_in_the_role_table()
    {
        var mapped = Mapped(_server.Routes);

        Assert.True(mapped.Count > 10, "the app's routes were not found");
        Assert.Empty(mapped.Where(r => !Table.ContainsKey(r)).Select(r => $"{r} is mapped but has no row in RoleMatrixTests.Table"));
        Assert.Empty(Table.Keys.Where(r => !mapped.Contains(r)).Select(r => $"{r} is in the table but not mapped"));
    }

    [Fact]
    public async Task Every_route_refuses_or_serves_each_role_as_the_table_says()
    {
        var stored = new Dictionary<string, string>();
        foreach (var role in Roles) stored[role] = await CreateStoredKeyAsync(role);
        var revoked = await CreateStoredKeyAsync("analyst");
        var revocation = await SendAsync(HttpMethod.Delete, $"/v1/keys/{IdOf(revoked)}", null, _server.AdminKey);
        Assert.True(revocation.Status == HttpStatusCode.OK, revocation.Body);
        var environment = new Dictionary<string, string>
        {
            ["writer"] = _server.WriteKey, ["viewer"] = _server.ViewerKey, ["analyst"] = _server.AnalystKey, ["admin"] = _server.AdminKey,
        };

        var failures = new List<string>();
        foreach (var route in Mapped(_server.Routes).Where(Table.ContainsKey))
        {
            var (lowest, path, body) = Table[route];
            var method = new HttpMethod(route[..route.IndexOf(' ')]);
            async Task Expect(string who, string? key, bool allowed, string refusal, string? reasonContains = null)
            {
                var answer = await SendAsync(method, path, body?.Invoke(), key);
                var code = (int)answer.Status;
                if (allowed)
                {
                    if (code is 401 or 403) failures.Add($"{route} with {who}: expected to be let through, got {code} {answer.Body}");
                    return;
                }
                var expected = refusal == "unauthorized" ? 401 : 403;
                if (code != expected) failures.Add($"{route} with {who}: expected {expected}, got {code} {answer.Body}");
                else if (Reason(answer.Body) is not { } reason || reason.Error != refusal || reason.Message.Length == 0)
                    failures.Add($"{route} with {who}: {code} without a JSON reason: {answer.Body}");
                else if (reasonContains is not null && !reason.Message.Contains(reasonContains, StringComparison.Ordinal))
                    failures.Add($"{route} with {who}: the reason '{reason.Message}' does not say '{reasonContains}'");
            }

            var open = lowest == Lowest.Public;
            await Expect("no key", null, open, "unauthorized");
            await Expect("an unknown key", "tly_NotAKeyOfThisServer0000000000000", open, "unauthorized", "unknown");
            await Expect("a revoked stored key", revoked, open, "unauthorized", "revoked");
            foreach (var role in Roles)
            {
                await Expect($"the {role} key from the environment", environment[role], Allowed(role, lowest), "forbidden");
                await Expect($"a stored {role} key", stored[role], Allowed(role, lowest), "forbidden");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Keys_made_over_http_are_shown_once_and_listed_without_the_key_or_its_hash()
    {
        var key = await CreateStoredKeyAsync("writer");
        var badEnvironment = await SendAsync(HttpMethod.Post, "/v1/keys", """{"role":"writer","environment":"moon"}""", _server.AdminKey);
        var badRole = await SendAsync(HttpMethod.Post, "/v1/keys", """{"role":"root"}""", _server.AdminKey);

        var listed = await SendAsync(HttpMethod.Get, "/v1/keys", null, _server.AdminKey);

        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.DoesNotContain(key, listed.Body);
        Assert.DoesNotContain(Tally.Core.Governance.ApiKeySecret.Hash(key), listed.Body);
        var entry = Assert.Single(listed.Json.GetProperty("keys").EnumerateArray());
        Assert.Equal((IdOf(key), "writer", "matrix writer"), (entry.GetProperty("id").GetString(), entry.GetProperty("role").GetString(), entry.GetProperty("name").GetString()));
        badEnvironment.ShouldBeError(HttpStatusCode.BadRequest, "invalid_key_request");
        badRole.ShouldBeError(HttpStatusCode.BadRequest, "invalid_key_request");
        var audit = await SendAsync(HttpMethod.Get, "/v1/audit?action=keys.create", null, _server.AdminKey);
        Assert.Contains("keys.create", audit.Body);
        Assert.DoesNotContain(key, audit.Body);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v1/events", TrackBody(), key)).Status);
    }

    private static bool Allowed(string role, Lowest lowest) => lowest switch
    {
        Lowest.Public => true,
        Lowest.Ingest => role is "writer" or "admin",
        Lowest.Viewer => role is not "writer",
        Lowest.Analyst => role is "analyst" or "admin",
        _ => role is "admin",
    };

    private static HashSet<string> Mapped(IEnumerable<RouteEndpoint> routes) =>
        routes.SelectMany(r => (r.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {r.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);

    private async Task<string> CreateStoredKeyAsync(string role)
    {
        var created = await SendAsync(HttpMethod.Post, "/v1/keys", $$"""{"role":"{{role}}","name":"matrix {{role}}"}""", _server.AdminKey);
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        var key = created.Json.GetProperty("key").GetString()!;
        _ids[key] = created.Json.GetProperty("id").GetString()!;
        return key;
    }

    private readonly Dictionary<string, string> _ids = [];

    private string IdOf(string key) => _ids[key];

    private static (string Error, string Message)? Reason(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var e) && doc.RootElement.TryGetProperty("message", out var m)
                ? (e.GetString() ?? "", m.GetString() ?? "")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<Posted> SendAsync(HttpMethod method, string path, string? body, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return new Posted(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), "", response.Headers, response.Content.Headers);
    }
}
