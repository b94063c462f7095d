using Tally.Core.Events;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class UndeclaredPropertyTests
{
    private static string Plan(string? undeclared) => $$"""
        plan: p
        version: '1'
        {{(undeclared is null ? "" : $"privacy: {{undeclared: {undeclared}}}")}}
        events:
          signup_completed:
            required: [plan_tier]
            optional: [profile]
            properties:
              plan_tier: string
              profile:
                type: object
                properties:
                  country: string
        """;

    private const string Payload = "\"plan_tier\":\"pro\",\"favourite_colour\":\"teal\"";

    [Fact]
    public void Undeclared_property_is_dropped_by_default_and_reported()
    {
        var outcome = Some.Pipeline(Plan(null)).Process(Some.Track("signup_completed", Payload));

        var accepted = OutcomeAssert.Accepted(outcome);
        Assert.False(OutcomeAssert.Properties(outcome).TryGetProperty("favourite_colour", out _));
        Assert.Equal("pro", OutcomeAssert.Properties(outcome).GetProperty("plan_tier").GetString());
        Assert.Equal(["favourite_colour"], accepted.DroppedFields);
    }

    [Fact]
    public void Undeclared_nested_field_is_dropped_by_default()
    {
        var outcome = Some.Pipeline(Plan(null)).Process(Some.Track("signup_completed",
            "\"plan_tier\":\"pro\",\"profile\":{\"country\":\"FR\",\"phone\":\"+33 6 12 34 56 78\"}"));

        var accepted = OutcomeAssert.Accepted(outcome);
        Assert.DoesNotContain("+33", accepted.Event.PropertiesJson);
        Assert.Equal("FR", OutcomeAssert.Properties(outcome).GetProperty("profile").GetProperty("country").GetString());
        Assert.Contains("profile.phone", accepted.DroppedFields);
    }

    [Fact]
    public void Undeclared_property_quarantines_the_event_when_the_plan_says_so()
    {
        var q = OutcomeAssert.Quarantined(Some.Pipeline(Plan("quarantine")).Process(Some.Track("signup_completed", Payload)));

        var v = Assert.Single(q.Reasons);
        Assert.Equal(ViolationCodes.UndeclaredProperty, v.Code);
        Assert.Equal("favourite_colour", v.Property);
        Assert.DoesNotContain("teal", q.PayloadJson);
    }

    [Fact]
    public void Undeclared_property_is_kept_hashed_when_the_plan_says_hash()
    {
        var pipeline = Some.Pipeline(Plan("hash"));
        var outcome = pipeline.Process(Some.Track("signup_completed", Payload));

        var stored = OutcomeAssert.Properties(outcome).GetProperty("favourite_colour").GetString();
        Assert.Equal(pipeline.Hasher.Hash("teal"), stored);
        Assert.Empty(OutcomeAssert.Accepted(outcome).DroppedFields);
    }
}
