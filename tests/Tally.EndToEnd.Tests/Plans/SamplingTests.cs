using System.Globalization;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Plans;

/// <summary>
/// Sampling is decided per session, so a sampled journey is kept or dropped whole: about half the sessions keep
/// their aurora_products_shown events at 50%, and no session keeps only some of them, even across requests.
/// </summary>
public sealed class SamplingTests(SampledAuroraServer fixture) : IClassFixture<SampledAuroraServer>
{
    private const int Sessions = 200;

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task About_half_the_sessions_are_kept_and_each_session_is_kept_or_dropped_whole()
    {
        var sessions = Enumerable.Range(0, Sessions).Select(i => "sess-sampling-" + i.ToString("D3", CultureInfo.InvariantCulture)).ToList();
        var droppedBefore = (await Metrics.ScrapeAsync(Server))["analytics_events_dropped_total{reason=\"sampling\"}"];

        // Two products_shown per session now and a third in a later request, beside an unsampled widget_open.
        var first = await Server.PostAsync("/v1/batch", Some.Batch([.. sessions.SelectMany(s => new[] { Some.WidgetOpen(s), Some.ProductsShown(s), Some.ProductsShown(s) })]));
        var second = await Server.PostAsync("/v1/batch", Some.Batch([.. sessions.Select(s => Some.ProductsShown(s))]));

        var stored = (await Server.EventsOfAsync(first.RequestId)).Concat(await Server.EventsOfAsync(second.RequestId)).ToList();
        var shownPerSession = sessions.ToDictionary(s => s, s => stored.Count(e => e.SessionId == s && e.Name == "aurora_products_shown"));
        var kept = shownPerSession.Count(x => x.Value == 3);
        Assert.All(shownPerSession, x => Assert.True(x.Value is 0 or 3, $"{x.Key} kept {x.Value} of its 3 sampled events"));
        Assert.InRange(kept, Sessions * 35 / 100, Sessions * 65 / 100);
        Assert.All(sessions, s => Assert.Single(stored, e => e.SessionId == s && e.Name == "aurora_widget_open"));

        var droppedSessions = Sessions - kept;
        first.ShouldBeIngested(accepted: Sessions + 2 * kept, dropped: 2 * droppedSessions);
        second.ShouldBeIngested(accepted: kept, dropped: droppedSessions);
        Assert.Equal(3 * droppedSessions, (await Metrics.ScrapeAsync(Server))["analytics_events_dropped_total{reason=\"sampling\"}"] - droppedBefore);
    }
}
