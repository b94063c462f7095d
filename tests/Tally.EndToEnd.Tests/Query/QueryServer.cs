using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Query;

/// <summary>
/// A class fixture: a real Aurora server holding a small, hand-made set of sessions, posted through the collector
/// (<c>/v1/batch</c>) with explicit timestamps in the past, so every number the query tests expect is worked out
/// by hand below:
/// <list type="bullet">
/// <item>2026-01-01, tracking requests: s1 intent(track_order) 10:00, order_tracked 10:10; s2 intent(track_order)
/// 11:00, order_tracked 11:45 (past the 30-minute window); s3 intent(find_product) 12:00, order_tracked 12:05;
/// s4 intent(track_order) 2025-12-31 23:50, order_tracked 00:05 (started before the day); s5 intent(track_order)
/// 23:50, order_tracked 2026-01-02 00:10 (finishes after the day); s6 order_tracked 13:00, then intent(track_order) 13:05.</item>
/// <item>2026-02-01, journeys: j1 widget_open 10:00, intent(track_order) 10:01, order_tracked 10:02,
/// csat_submitted(great) 10:05; j2 widget_open 10:00 only.</item>
/// <item>2026-03-01, product engagement: p1 open 10:00, shown 10:02, shown 10:03, shortlisted 10:40 (past the window);
/// p2 open 11:00, shown 11:05, shortlisted 11:10.</item>
/// </list>
/// </summary>
public sealed class QueryServer : IAsyncLifetime
{
    public static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Feb1 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Mar1 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    public string PlanPath { get; } = Repo.PathOf("plans", "aurora-concierge.yaml");

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(PlanPath);
        JsonObject[] events =
        [
            Intent("s1", "track_order", Jan1.AddHours(10)), Tracked("s1", Jan1.AddHours(10).AddMinutes(10)),
            Intent("s2", "track_order", Jan1.AddHours(11)), Tracked("s2", Jan1.AddHours(11).AddMinutes(45)),
            Intent("s3", "find_product", Jan1.AddHours(12)), Tracked("s3", Jan1.AddHours(12).AddMinutes(5)),
            Intent("s4", "track_order", Jan1.AddMinutes(-10)), Tracked("s4", Jan1.AddMinutes(5)),
            Intent("s5", "track_order", Jan1.AddHours(23).AddMinutes(50)), Tracked("s5", Jan1.AddDays(1).AddMinutes(10)),
            Tracked("s6", Jan1.AddHours(13)), Intent("s6", "track_order", Jan1.AddHours(13).AddMinutes(5)),

            At(Some.WidgetOpen("j1"), Feb1.AddHours(10)), Intent("j1", "track_order", Feb1.AddHours(10).AddMinutes(1)),
            Tracked("j1", Feb1.AddHours(10).AddMinutes(2)),
            At(Some.Track("aurora_csat_submitted", new JsonObject { ["rating"] = "great" }, "j1"), Feb1.AddHours(10).AddMinutes(5)),
            At(Some.WidgetOpen("j2"), Feb1.AddHours(10)),

            At(Some.WidgetOpen("p1"), Mar1.AddHours(10)), At(Some.ProductsShown("p1"), Mar1.AddHours(10).AddMinutes(2)),
            At(Some.ProductsShown("p1"), Mar1.AddHours(10).AddMinutes(3)), Shortlisted("p1", Mar1.AddHours(10).AddMinutes(40)),
            At(Some.WidgetOpen("p2"), Mar1.AddHours(11)), At(Some.ProductsShown("p2"), Mar1.AddHours(11).AddMinutes(5)),
            Shortlisted("p2", Mar1.AddHours(11).AddMinutes(10)),
        ];
        (await Server.PostAsync("/v1/batch", Some.Batch(events))).ShouldBeIngested(accepted: events.Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A GET with <c>Authorization: Bearer KEY</c> (none when null).</summary>
    public Task<Posted> GetAsync(string path, string? key) => SendAsync(HttpMethod.Get, path, null, key);

    /// <summary>A POST of a JSON body with <c>Authorization: Bearer KEY</c> (none when null).</summary>
    public Task<Posted> PostJsonAsync(string path, string body, string? key) => SendAsync(HttpMethod.Post, path, body, key);

    private async Task<Posted> SendAsync(HttpMethod method, string path, string? body, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await Server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return new Posted(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), "", response.Headers, response.Content.Headers);
    }

    private static JsonObject At(JsonObject e, DateTimeOffset t)
    {
        e["timestamp"] = Some.Iso(t);
        return e;
    }

    private static JsonObject Intent(string session, string intent, DateTimeOffset t) => At(Some.IntentDetected(intent, session), t);

    private static JsonObject Tracked(string session, DateTimeOffset t) =>
        At(Some.Track("aurora_order_tracked", new JsonObject { ["intent"] = "track_order" }, session), t);

    private static JsonObject Shortlisted(string session, DateTimeOffset t) =>
        At(Some.Track("aurora_product_shortlisted", new JsonObject { ["productId"] = "ring-1" }, session), t);
}
