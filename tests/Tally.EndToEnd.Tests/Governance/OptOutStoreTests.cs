using System.Text.Json.Nodes;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Governance;

/// <summary>
/// Seed 002's opt-out on both stores, through the real collector: the opt-out and opt-in records are kept (they are
/// essential), the actor's state applies from the moment it is received (events before it are kept, non-essential
/// events after it dropped, an opt-in restores collection), and the state outlives a restart of server and store.
/// </summary>
public sealed class OptOutStoreTests
{
    public static TheoryData<StoreKind> Stores => new(StoreKind.Sqlite, StoreKind.ClickHouse);

    private static string IdOf(JsonObject e) => e["event_id"]!.GetValue<string>();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_opt_out_applies_from_receipt_is_kept_is_undone_by_an_opt_in_and_outlives_a_restart(StoreKind kind)
    {
        await using var server = await StoreServer.StartAsync(kind, Repo.PathOf("plans", "skillforge.yaml"));
        var user = Some.Id("usr");
        var stays = Some.Id("usr");
        var before = Some.SkillForge("session_started", user);
        var optOut = Some.SkillForge("settings_tracking_opt_out", user, optOut: true);
        var during = Some.SkillForge("resume_parsed", user);
        var optIn = Some.SkillForge("settings_tracking_opt_out", user, optOut: false);
        var after = Some.SkillForge("session_started", user);
        var staysOut = Some.SkillForge("settings_tracking_opt_out", stays, optOut: true);

        (await server.PostAsync("/v1/events", before.ToJsonString())).ShouldBeIngested(accepted: 1);
        (await server.PostAsync("/v1/events", optOut.ToJsonString())).ShouldBeIngested(accepted: 1);
        (await server.PostAsync("/v1/events", during.ToJsonString())).ShouldBeIngested(accepted: 0, dropped: 1);
        (await server.PostAsync("/v1/events", optIn.ToJsonString())).ShouldBeIngested(accepted: 1);
        (await server.PostAsync("/v1/events", after.ToJsonString())).ShouldBeIngested(accepted: 1);
        (await server.PostAsync("/v1/events", staysOut.ToJsonString())).ShouldBeIngested(accepted: 1);

        var stored = (await server.EventsAsync()).Select(e => e.EventId).ToHashSet();
        Assert.Superset(new HashSet<string> { IdOf(before), IdOf(optOut), IdOf(optIn), IdOf(after), IdOf(staysOut) }, stored);
        Assert.DoesNotContain(IdOf(during), stored);

        await server.RestartAsync();
        var droppedAfterRestart = Some.SkillForge("session_started", stays);
        var keptAfterRestart = Some.SkillForge("resume_parsed", user);
        (await server.PostAsync("/v1/events", droppedAfterRestart.ToJsonString())).ShouldBeIngested(accepted: 0, dropped: 1);
        (await server.PostAsync("/v1/events", keptAfterRestart.ToJsonString())).ShouldBeIngested(accepted: 1);

        var afterRestart = (await server.EventsAsync()).Select(e => e.EventId).ToHashSet();
        Assert.Contains(IdOf(keptAfterRestart), afterRestart);
        Assert.DoesNotContain(IdOf(droppedAfterRestart), afterRestart);
        Assert.Equal(6, afterRestart.Count);
    }
}
