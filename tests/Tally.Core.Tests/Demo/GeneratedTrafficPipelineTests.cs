using Tally.Core.Demo;
using Tally.Core.Events;
using Tally.Core.Pipeline;

namespace Tally.Core.Tests.Demo;

/// <summary>Generated traffic run through the collector's pipeline does exactly what the generator meant.</summary>
public class GeneratedTrafficPipelineTests
{
    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Valid_events_are_accepted_spoiled_ones_quarantined_for_their_reason_and_opted_out_ones_dropped(string planFile)
    {
        var run = DemoTraffic.Through(planFile, 400);
        foreach (var (sent, outcome) in run.Pairs)
        {
            switch (sent.Intent)
            {
                case EventIntent.Valid:
                    var accepted = outcome as PipelineOutcome.Accepted;
                    Assert.True(accepted is not null, $"{sent.Json}\n=> {Describe(outcome)}");
                    break;
                case EventIntent.Invalid:
                    var q = Assert.IsType<PipelineOutcome.Quarantined>(outcome);
                    Assert.Contains(sent.Fault, q.Event.Reasons.Select(r => r.Code));
                    break;
                case EventIntent.AfterOptOut:
                    Assert.Equal(DropReasons.OptOut, Assert.IsType<PipelineOutcome.Dropped>(outcome).Reason);
                    break;
            }
        }
    }

    private static string Describe(PipelineOutcome o) => o switch
    {
        PipelineOutcome.Quarantined q => "quarantined: " + string.Join("; ", q.Event.Reasons),
        PipelineOutcome.Dropped d => "dropped: " + d.Reason,
        _ => o.ToString(),
    };

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void The_quarantined_share_is_close_to_the_profile_invalid_share(string planFile)
    {
        var run = DemoTraffic.Through(planFile, 1000);
        var share = run.Traffic.Events.Count == 0 ? 0 : DemoTraffic.Load(planFile).Profile.Invalid!.Share;
        var judged = run.Outcomes.Count(o => o is not PipelineOutcome.Dropped);
        var quarantined = run.Outcomes.Count(o => o is PipelineOutcome.Quarantined);
        var observed = (double)quarantined / judged;
        Assert.InRange(observed, share * 0.6, share * 1.4);
        Assert.True(quarantined > 0);
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Planted_personal_data_is_really_sent_and_never_stored_as_sent(string planFile)
    {
        var run = DemoTraffic.Through(planFile, 400);
        Assert.Contains(run.Traffic.Events, e => e.Pii is not null);
        Assert.NotEmpty(run.Traffic.PlantedValues);
        Assert.Equal(run.Traffic.PlantedValues.Order(), PlantedScan.Find(run.Traffic.Events.Select(e => e.Json), run.Traffic.PlantedValues).Order());
        Assert.Empty(PlantedScan.Find(run.Accepted.Select(e => e.PropertiesJson), run.Traffic.PlantedValues));
    }

    [Theory]
    [MemberData(nameof(DemoTraffic.Plans), MemberType = typeof(DemoTraffic))]
    public void Planted_personal_data_is_not_quarantined_as_sent(string planFile)
    {
        var run = DemoTraffic.Through(planFile, 400);
        var quarantined = run.Outcomes.OfType<PipelineOutcome.Quarantined>().Select(q => q.Event.PayloadJson).ToList();
        Assert.NotEmpty(quarantined);
        Assert.Empty(PlantedScan.Find(quarantined, run.Traffic.PlantedValues));
    }

    [Fact]
    public void Skillforge_opt_outs_drop_the_later_events_and_keep_the_consent_record()
    {
        var run = DemoTraffic.Through("skillforge.yaml", 600);
        var optOuts = run.Pairs.Where(p => p.Sent.OptOut).ToList();
        Assert.NotEmpty(optOuts);
        Assert.All(optOuts, p => Assert.IsType<PipelineOutcome.Accepted>(p.Outcome));
        Assert.Contains(run.Outcomes, o => o is PipelineOutcome.Dropped { Reason: DropReasons.OptOut });
    }

    [Fact]
    public void Skillforge_pre_login_events_are_stitched_to_the_user()
    {
        var run = DemoTraffic.Through("skillforge.yaml", 600);
        Assert.Contains(run.Links, l => l.Kind == IdentityLink.Identify);
        Assert.Contains(run.Links, l => l.Kind == IdentityLink.MergeKey);
        // account_created is sent before the login, onboarding after it: only stitching makes them one person.
        var onboarding = run.Results().Kpis.Single(k => k.Name == "onboarding_completion_24h");
        Assert.True(onboarding.Numerator > 0, "no account converted: anonymous and identified events were not stitched");
    }
}
