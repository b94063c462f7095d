using System.Text.Json;
using Tally.Core.Analytics;
using Tally.Core.Demo;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Plans;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Demo;

/// <summary>A seed plan with its committed traffic profile, and generated traffic run through the real pipeline.</summary>
internal static class DemoTraffic
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Plans => new(SeedPlans.Files);

    public static (TrackingPlan Plan, TrafficProfile Profile) Load(string planFile)
    {
        var plan = SeedPlans.Load(planFile);
        var loaded = TrafficProfileLoader.LoadFile(TrafficProfileLoader.PathFor(Repo.PathOf("plans", planFile)));
        Assert.True(loaded.Diagnostics.Count == 0, string.Join(Environment.NewLine, loaded.Diagnostics));
        return (plan, loaded.Profile!);
    }

    public static GeneratedTraffic Generate(string planFile, int flows, long seed = 7)
    {
        var (plan, profile) = Load(planFile);
        return new TrafficGenerator(plan, profile).Generate(seed, Now, flows);
    }

    /// <summary>What the pipeline made of each generated event, in sending order, as the collector runs it.</summary>
    public sealed record Run(TrackingPlan Plan, GeneratedTraffic Traffic, IReadOnlyList<PipelineOutcome> Outcomes)
    {
        public IEnumerable<(GeneratedEvent Sent, PipelineOutcome Outcome)> Pairs => Traffic.Events.Zip(Outcomes);

        public IReadOnlyList<CollectedEvent> Accepted => Outcomes.OfType<PipelineOutcome.Accepted>().Select(a => a.Event).ToList();

        public IReadOnlyList<IdentityLink> Links => Outcomes.OfType<PipelineOutcome.Accepted>().SelectMany(a => a.Links).ToList();

        /// <summary>The analytics view a store gives: raw rows for ordinary events, daily roll-ups for aggregate-only ones.</summary>
        public IReadOnlyList<AnalyticsEvent> Analytics()
        {
            var raw = Accepted.Where(e => !e.AggregateOnly).Select(AnalyticsEvent.From);
            var rollups = Accepted.Where(e => e.AggregateOnly).Select(RollupRow.Of);
            return raw.Concat(DemoAnalytics.FromRollups(Plan, rollups)).ToList();
        }

        public DemoResults Results()
        {
            var events = Analytics();
            return DemoAnalytics.Compute(Plan, events, Links, DemoAnalytics.RangeOf(events, Now));
        }
    }

    public static Run Through(string planFile, int flows, long seed = 7)
    {
        var (plan, profile) = Load(planFile);
        var traffic = new TrafficGenerator(plan, profile).Generate(seed, Now, flows);
        var pipeline = new EventPipeline(plan, new PipelineOptions { HashSalt = "demo-test-salt"u8.ToArray() }, new OptOutRegistry());
        var ctx = new IngestContext(Now, plan.Envelope.Format == EnvelopeFormat.Segment ? "segment:/v1/batch" : "flat:/v1/events");
        var outcomes = new List<PipelineOutcome>();
        foreach (var e in traffic.Events)
        {
            using var doc = JsonDocument.Parse(e.Json);
            outcomes.Add(pipeline.Process(doc.RootElement, ctx, rawBytes: e.Json.Length));
        }
        return new Run(plan, traffic, outcomes);
    }
}
