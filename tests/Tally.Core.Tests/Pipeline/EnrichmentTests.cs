using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

/// <summary>What the pipeline adds and the envelope-level checks: ids, request data, size, environment, identifiers.</summary>
public class EnrichmentTests
{
    [Fact]
    public void Server_receive_time_request_id_and_client_event_id_are_recorded()
    {
        var ctx = Some.Context(requestId: "req-42");
        var e = OutcomeAssert.Accepted(Some.Pipeline(TestPlans.Shop).Process(Some.Track("page_viewed", messageId: "m-77"), ctx)).Event;

        Assert.Equal("m-77", e.EventId);
        Assert.Equal("req-42", e.RequestId);
        Assert.Equal(Some.Now, e.ReceivedAt);
        Assert.Equal("test:/v1/batch", e.Source);
        Assert.Equal("production", e.Environment);
    }

    [Fact]
    public void Event_id_is_generated_when_the_client_sent_none()
    {
        var pipeline = Some.Pipeline(TestPlans.Shop);
        const string noId = """{"type":"track","event":"page_viewed","anonymousId":"a","properties":{}}""";

        var first = OutcomeAssert.Accepted(pipeline.Process(noId)).Event.EventId;
        var second = OutcomeAssert.Accepted(pipeline.Process(noId)).Event.EventId;

        Assert.False(string.IsNullOrEmpty(first));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Oversize_event_is_quarantined_with_event_too_large()
    {
        var pipeline = Some.Pipeline(TestPlans.Shop);
        var q = OutcomeAssert.Quarantined(pipeline.Process(Some.Track("page_viewed"), rawBytes: 32 * 1024 + 1));
        Assert.Equal(ViolationCodes.EventTooLarge, Assert.Single(q.Reasons).Code);

        OutcomeAssert.Accepted(pipeline.Process(Some.Track("page_viewed"), rawBytes: 32 * 1024));
    }

    [Fact]
    public void Unknown_environment_is_quarantined()
    {
        var q = OutcomeAssert.Quarantined(Some.Pipeline(TestPlans.Shop).Process(Some.Track("page_viewed"), Some.Context(environment: "qa")));
        var v = Assert.Single(q.Reasons);
        Assert.Equal(ViolationCodes.WrongEnvironment, v.Code);
        Assert.Contains("'qa'", v.Message);
        Assert.Equal("qa", q.Environment);
    }

    [Fact]
    public void Environment_in_the_payload_wins_over_the_write_key()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            environments: [production, staging]
            envelope: {environment: context.env}
            events: {e: {}}
            """);
        var e = OutcomeAssert.Accepted(pipeline.Process(Some.Track("e", extra: "\"context\":{\"env\":\"staging\"}"), Some.Context(environment: "production"))).Event;
        Assert.Equal("staging", e.Environment);
    }

    [Fact]
    public void Aggregate_only_event_is_accepted_without_properties()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            events:
              api_called:
                aggregate_only: true
                required: [endpoint]
                properties:
                  endpoint: string
            """);
        var e = OutcomeAssert.Accepted(pipeline.Process(Some.Track("api_called", "\"endpoint\":\"/v1/users\""))).Event;

        Assert.True(e.AggregateOnly);
        Assert.Equal("{}", e.PropertiesJson);
    }

    [Fact]
    public void Count_field_records_how_many_occurrences_a_payload_stands_for()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            envelope: {format: flat, count: count}
            events: {api_called: {}}
            """);
        Assert.Equal(17, OutcomeAssert.Accepted(pipeline.Process("""{"event_name":"api_called","count":17}""")).Event.Count);
        Assert.Equal(1, OutcomeAssert.Accepted(pipeline.Process("""{"event_name":"api_called"}""")).Event.Count);
    }

    private const string NoIdentifiersPlan = """
        plan: p
        version: '1'
        envelope: {session_id: properties.sessionId}
        identity: {identifiers: false}
        events:
          e:
            required: [n]
            optional: [sessionId]
            properties:
              n: integer
              sessionId: string
        """;

    [Fact]
    public void Plan_without_identifiers_strips_every_id_and_link()
    {
        var accepted = OutcomeAssert.Accepted(Some.Pipeline(NoIdentifiersPlan).Process(Some.Track("e", "\"n\":1", "u-1", "anon-1", extra: "\"previousId\":\"p\"")));

        Assert.Null(accepted.Event.UserId);
        Assert.Null(accepted.Event.AnonymousId);
        Assert.Null(accepted.Event.SessionId);
        Assert.Null(accepted.Event.PreviousId);
        Assert.Empty(accepted.Links);
    }

    [Fact]
    public void Plan_without_identifiers_keeps_no_ids_in_quarantine_either()
    {
        var q = OutcomeAssert.Quarantined(Some.Pipeline(NoIdentifiersPlan).Process(Some.Track("e", "\"n\":\"x\"", "u-secret", "anon-secret")));

        Assert.DoesNotContain("u-secret", q.PayloadJson);
        Assert.DoesNotContain("anon-secret", q.PayloadJson);
    }

    [Fact]
    public void An_event_carrying_both_ids_links_them()
    {
        var accepted = OutcomeAssert.Accepted(Some.Pipeline(TestPlans.Shop).Process(Some.Track("page_viewed", userId: "u-1", anonymousId: "anon-1")));
        Assert.Equal([new IdentityLink("anon-1", "u-1", IdentityLink.Identify, Some.Now)], accepted.Links);
    }

    [Fact]
    public void Merge_key_links_the_user_to_the_hashed_value()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            envelope: {format: flat}
            identity: {merge_by: email}
            events:
              signed_in:
                optional: [email]
                properties:
                  email: {type: string, pii: hash}
            """);
        var accepted = OutcomeAssert.Accepted(pipeline.Process("""{"event_name":"signed_in","user_id":"u-1","email":"Ada@Example.com "}"""));

        var link = Assert.Single(accepted.Links);
        Assert.Equal(IdentityLink.MergeKey, link.Kind);
        Assert.Equal("mk:" + pipeline.Hasher.Hash("ada@example.com"), link.FromId);
        Assert.Equal("u-1", link.ToUserId);
    }
}
