using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Pipeline;

namespace Tally.Core.Tests.Support;

/// <summary>Asserts an outcome's kind and hands back what is inside, with the outcome in the failure message.</summary>
public static class OutcomeAssert
{
    public static PipelineOutcome.Accepted Accepted(PipelineOutcome outcome) =>
        outcome as PipelineOutcome.Accepted ?? throw Fail("accepted", outcome);

    public static QuarantinedEvent Quarantined(PipelineOutcome outcome) =>
        (outcome as PipelineOutcome.Quarantined)?.Event ?? throw Fail("quarantined", outcome);

    public static PipelineOutcome.Dropped Dropped(PipelineOutcome outcome, string reason)
    {
        var d = outcome as PipelineOutcome.Dropped ?? throw Fail($"dropped ({reason})", outcome);
        Assert.Equal(reason, d.Reason);
        return d;
    }

    /// <summary>The codes of a quarantined event's reasons, sorted.</summary>
    public static string[] Codes(PipelineOutcome outcome) => Quarantined(outcome).Reasons.Select(r => r.Code).Order().ToArray();

    /// <summary>An accepted event's stored properties, parsed.</summary>
    public static JsonElement Properties(PipelineOutcome outcome) => Some.Json(Accepted(outcome).Event.PropertiesJson);

    private static Xunit.Sdk.XunitException Fail(string expected, PipelineOutcome actual) =>
        new($"expected the event to be {expected}, but it was: {Describe(actual)}");

    private static string Describe(PipelineOutcome o) => o switch
    {
        PipelineOutcome.Quarantined q => "quarantined: " + string.Join("; ", q.Event.Reasons),
        PipelineOutcome.Dropped d => $"dropped ({d.Reason})",
        PipelineOutcome.Accepted a => "accepted: " + a.Event.PropertiesJson,
        _ => o.ToString() ?? "?",
    };
}
