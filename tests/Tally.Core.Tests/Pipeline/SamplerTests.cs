using FsCheck;
using FsCheck.Fluent;
using Tally.Core.Pipeline;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class SamplerTests
{
    [Fact]
    public void The_same_key_always_gets_the_same_fate()
    {
        Prop.ForAll<string, double>((key, r) =>
        {
            var rate = Math.Abs(r % 1);
            return key is null || Sampler.Keep(key, rate) == Sampler.Keep(key, rate);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Raising_the_rate_never_drops_a_key_that_was_kept()
    {
        // So a session kept at 10% is still kept when the owner raises sampling to 50%.
        Prop.ForAll<NonNull<string>, double, double>((key, a, b) =>
        {
            var (low, high) = (Math.Min(Math.Abs(a % 1), Math.Abs(b % 1)), Math.Max(Math.Abs(a % 1), Math.Abs(b % 1)));
            return !Sampler.Keep(key.Get, low) || Sampler.Keep(key.Get, high);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fraction_lies_in_the_unit_interval()
    {
        Prop.ForAll<NonNull<string>>(key => Sampler.Fraction(key.Get) is >= 0 and < 1).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Half_rate_keeps_about_half_of_random_sessions()
    {
        const int n = 10_000;
        var kept = Enumerable.Range(0, n).Count(_ => Sampler.Keep(Guid.NewGuid().ToString(), 0.5));
        Assert.InRange(kept / (double)n, 0.45, 0.55);
    }

    [Fact]
    public void Keys_differing_only_in_their_last_character_spread_out()
    {
        var kept = Enumerable.Range(0, 1000).Count(i => Sampler.Keep($"session-{i}", 0.5));
        Assert.InRange(kept, 400, 600);
    }

    [Fact]
    public void Rate_zero_drops_everything_and_rate_one_keeps_everything()
    {
        for (var i = 0; i < 200; i++)
        {
            var key = Some.Id();
            Assert.False(Sampler.Keep(key, 0));
            Assert.True(Sampler.Keep(key, 1));
        }
    }

    private static EventPipeline Sampled(double rate) => Some.Pipeline($$"""
        plan: p
        version: '1'
        envelope: {session_id: properties.sessionId}
        defaults: {sampling: {{rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}
        events:
          step_one: {optional: [sessionId]}
          step_two: {optional: [sessionId]}
          login_failed: {optional: [sessionId], essential: true}
        properties:
          sessionId: string
        """);

    [Fact]
    public void All_events_of_one_session_share_one_fate()
    {
        var pipeline = Sampled(0.5);
        var fates = new HashSet<bool>();
        for (var s = 0; s < 200; s++)
        {
            var session = Some.Id();
            var outcomes = new[] { "step_one", "step_two", "step_one" }
                .Select(name => pipeline.Process(Some.Track(name, $"\"sessionId\":\"{session}\"", userId: Some.Id(), anonymousId: Some.Id())))
                .Select(o => o is PipelineOutcome.Accepted)
                .Distinct().ToList();
            var fate = Assert.Single(outcomes);
            fates.Add(fate);
        }
        Assert.Equal(2, fates.Count); // some sessions kept, some dropped
    }

    [Fact]
    public void Sampled_out_events_are_reported_as_dropped_for_sampling()
    {
        var pipeline = Sampled(0);
        OutcomeAssert.Dropped(pipeline.Process(Some.Track("step_one", "\"sessionId\":\"s\"")), DropReasons.Sampling);
    }

    [Fact]
    public void Essential_events_are_never_sampled_out()
    {
        var pipeline = Sampled(0);
        for (var i = 0; i < 50; i++)
            OutcomeAssert.Accepted(pipeline.Process(Some.Track("login_failed", $"\"sessionId\":\"{Some.Id()}\"")));
    }

    [Fact]
    public void Full_rate_keeps_every_event()
    {
        var pipeline = Sampled(1);
        for (var i = 0; i < 50; i++)
            OutcomeAssert.Accepted(pipeline.Process(Some.Track("step_one", $"\"sessionId\":\"{Some.Id()}\"")));
    }

    [Fact]
    public void Event_sampling_overrides_the_plan_default()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            defaults: {sampling: 0}
            events:
              kept: {sampling: 1}
              dropped: {}
            """);
        OutcomeAssert.Accepted(pipeline.Process(Some.Track("kept")));
        OutcomeAssert.Dropped(pipeline.Process(Some.Track("dropped")), DropReasons.Sampling);
    }
}
