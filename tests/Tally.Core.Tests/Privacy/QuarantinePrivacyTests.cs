using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Privacy;

public class QuarantinePrivacyTests
{
    [Fact]
    public void A_value_that_fails_validation_is_hashed_in_quarantine_even_when_its_policy_is_allow()
    {
        // order_id is declared `allow` with a pattern; someone typed an email into it. Quarantine must not keep it raw.
        var pipeline = Some.Pipeline(TestPlans.Shop);
        var outcome = pipeline.Process(Some.Track("order_completed", "\"sessionId\":\"s-1\",\"order_id\":\"maya@example.com\",\"total\":42.5"));
        var q = OutcomeAssert.Quarantined(outcome);
        Assert.Contains(q.Reasons, r => r.Property == "order_id");
        Assert.DoesNotContain("maya@example.com", q.PayloadJson);
        Assert.Contains(pipeline.Hasher.Hash("maya@example.com"), q.PayloadJson);
        // The valid properties beside it stay readable, so the event can still be understood and replayed.
        Assert.Contains("\"sessionId\":\"s-1\"", q.PayloadJson);
    }
}

public class UnknownEventQuarantinePrivacyTests
{
    [Fact]
    public void An_unknown_event_keeps_a_property_as_sent_only_when_no_event_defines_it_more_strictly()
    {
        var plan = TestPlans.Parse("""
            plan: p
            version: '1'
            defaults: {retention: 30d}
            properties:
              error_message: {type: string, sanitized: true}
              step: {type: string}
            events:
              sync_failed:
                required: [error_message]
                properties:
                  error_message: {type: string, pii: hash}
              step_done:
                required: [step]
            """);
        var pipeline = Some.Pipeline(plan);
        var q = OutcomeAssert.Quarantined(pipeline.Process(Some.Track("sync_faild", "\"error_message\":\"401 token expired for bob\",\"step\":\"s1\"")));
        Assert.DoesNotContain("401 token expired", q.PayloadJson);
        Assert.Contains("\"step\":\"s1\"", q.PayloadJson);
    }
}
