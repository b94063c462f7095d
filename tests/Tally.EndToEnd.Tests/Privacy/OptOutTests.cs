using System.Net;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Privacy;

/// <summary>
/// Seed 002's opt-out: once a user sends settings_tracking_opt_out, their non-essential events are dropped (and
/// counted), the consent record itself is kept, an opt-in restores collection, and the state outlives a restart.
/// </summary>
public sealed class OptOutTests(SkillForgeServer fixture) : IClassFixture<SkillForgeServer>
{
    private const string DroppedOptOut = "analytics_events_dropped_total{reason=\"opt_out\"}";

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Events_of_a_user_who_opted_out_are_dropped_and_the_opt_out_itself_is_stored()
    {
        var user = Some.Id("usr");
        var optOut = Some.SkillForge("settings_tracking_opt_out", user, optOut: true);
        var before = await Metrics.ScrapeAsync(Server);

        var recorded = await Server.PostAsync("/v1/events", optOut.ToJsonString());
        var after = await Server.PostAsync("/v1/events", Some.SkillForge("session_started", user).ToJsonString());

        recorded.ShouldBeIngested(accepted: 1);
        Assert.Equal(optOut["event_id"]!.GetValue<string>(), Assert.Single(await Server.EventsOfAsync(recorded.RequestId)).EventId);
        after.ShouldBeIngested(accepted: 0, dropped: 1);
        Assert.Empty(await Server.EventsOfAsync(after.RequestId));
        Assert.Empty(await Server.QuarantineOfAsync(after.RequestId));
        Assert.Equal(1, (await Metrics.ScrapeAsync(Server))[DroppedOptOut] - before[DroppedOptOut]);
    }

    [Fact]
    public async Task An_invalid_event_of_a_user_who_opted_out_is_dropped_not_quarantined()
    {
        var user = Some.Id("usr");
        (await Server.PostAsync("/v1/events", Some.SkillForge("settings_tracking_opt_out", user, optOut: true).ToJsonString())).ShouldBeIngested(accepted: 1);
        var invalid = Some.SkillForge("session_started", user);
        invalid["persona"] = "astronaut";

        var posted = await Server.PostAsync("/v1/events", invalid.ToJsonString());

        posted.ShouldBeIngested(accepted: 0, dropped: 1);
        Assert.Empty(await Server.QuarantineOfAsync(posted.RequestId));
    }

    [Fact]
    public async Task An_opt_in_later_restores_collection()
    {
        var user = Some.Id("usr");
        (await Server.PostAsync("/v1/events", Some.SkillForge("settings_tracking_opt_out", user, optOut: true).ToJsonString())).ShouldBeIngested(accepted: 1);
        (await Server.PostAsync("/v1/events", Some.SkillForge("session_started", user).ToJsonString())).ShouldBeIngested(accepted: 0, dropped: 1);

        var optIn = await Server.PostAsync("/v1/events", Some.SkillForge("settings_tracking_opt_out", user, optOut: false).ToJsonString());
        var session = Some.SkillForge("session_started", user);
        var posted = await Server.PostAsync("/v1/events", session.ToJsonString());

        optIn.ShouldBeIngested(accepted: 1);
        posted.ShouldBeIngested(accepted: 1);
        Assert.Equal(session["event_id"]!.GetValue<string>(), Assert.Single(await Server.EventsOfAsync(posted.RequestId)).EventId);
    }

    [Fact]
    public async Task An_opt_out_survives_a_restart_on_the_same_data_directory()
    {
        await using var server = await TestServer.StartAsync(Repo.PathOf("plans", "skillforge.yaml"));
        var user = Some.Id("usr");
        var optedIn = Some.Id("usr");
        (await server.PostAsync("/v1/events", Some.SkillForge("settings_tracking_opt_out", user, optOut: true).ToJsonString())).ShouldBeIngested(accepted: 1);
        (await server.PostAsync("/v1/events", Some.SkillForge("settings_tracking_opt_out", optedIn, optOut: true).ToJsonString())).ShouldBeIngested(accepted: 1);
        (await server.PostAsync("/v1/events", Some.SkillForge("settings_tracking_opt_out", optedIn, optOut: false).ToJsonString())).ShouldBeIngested(accepted: 1);

        await server.RestartAsync();
        var dropped = await server.PostAsync("/v1/events", Some.SkillForge("session_started", user).ToJsonString());
        var kept = await server.PostAsync("/v1/events", Some.SkillForge("session_started", optedIn).ToJsonString());

        dropped.ShouldBeIngested(accepted: 0, dropped: 1);
        Assert.Empty(await server.EventsOfAsync(dropped.RequestId));
        Assert.Equal(1, (await Metrics.ScrapeAsync(server))[DroppedOptOut]);
        kept.ShouldBeIngested(accepted: 1);
    }

    [Fact]
    public async Task An_opt_out_carried_by_an_ordinary_or_an_invalid_event_also_survives_a_restart()
    {
        // "Mirrors tracking_opt_out": opt_out_status true on any event opts its actor out, from that event on, and
        // an opt-out event that fails the plan is quarantined but honoured. Either way the restart must remember it.
        await using var server = await TestServer.StartAsync(Repo.PathOf("plans", "skillforge.yaml"));
        var flaggedUser = Some.Id("usr");
        var invalidUser = Some.Id("usr");
        var invalidOptOut = Some.SkillForge("settings_tracking_opt_out", invalidUser, optOut: true);
        invalidOptOut.Remove("persona");
        var flagged = await server.PostAsync("/v1/events", Some.SkillForge("session_started", flaggedUser, optOut: true).ToJsonString());
        var invalid = await server.PostAsync("/v1/events", invalidOptOut.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, flagged.Status);
        invalid.ShouldBeIngested(accepted: 0, quarantined: 1);

        await server.RestartAsync();
        var afterFlag = await server.PostAsync("/v1/events", Some.SkillForge("resume_parsed", flaggedUser).ToJsonString());
        var afterInvalid = await server.PostAsync("/v1/events", Some.SkillForge("resume_parsed", invalidUser).ToJsonString());

        afterFlag.ShouldBeIngested(accepted: 0, dropped: 1);
        afterInvalid.ShouldBeIngested(accepted: 0, dropped: 1);
        Assert.Empty(await server.EventsOfAsync(afterFlag.RequestId));
        Assert.Empty(await server.EventsOfAsync(afterInvalid.RequestId));
    }
}
