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
    public void Aggregate_only_event_keeps_only_its_declared_non_identifying_properties_as_roll_up_dimensions()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            privacy: {undeclared: hash}
            identity: {merge_by: account_key}
            events:
              api_called:
                aggregate_only: true
                required: [endpoint]
                optional: [status, caller_email, client_ip, account_key]
                properties:
                  endpoint: string
                  status: integer
                  caller_email: {type: string, pii: hash}
                  client_ip: {type: string, pii: ip}
                  account_key: {type: string, pii: hash}
            """);
        var e = OutcomeAssert.Accepted(pipeline.Process(Some.Track("api_called",
            "\"status\":500,\"endpoint\":\"/v1/users\",\"caller_email\":\"ada@example.com\",\"client_ip\":\"10.1.2.3\",\"account_key\":\"k1\",\"note\":\"hi\""))).Event;

        Assert.True(e.AggregateOnly);
        // Sorted keys, values as text; the user and anonymous ids, hashes, the address and the undeclared note are gone.
        Assert.Equal("""{"endpoint":"/v1/users","status":"500"}""", e.PropertiesJson);
    }

    [Fact]
    public void Aggregate_only_event_keeps_the_envelope_source_when_it_declares_it_as_a_property()
    {
        var plan = """
            plan: p
            version: '1'
            envelope: {format: flat, event: event_name, source: source, properties: ""}
            identity: {identifiers: false}
            events:
              signup:
                aggregate_only: true
                required: [event_id]
                optional: [SOURCE_DECLARED]
                properties:
                  event_id: string
                  source: {type: enum, values: [web, admin]}
            """;
        var declared = Some.Pipeline(plan.Replace("SOURCE_DECLARED", "source"));
        var undeclared = Some.Pipeline(plan.Replace("SOURCE_DECLARED", ""));
        const string Payload = """{"event_name":"signup","event_id":"E1","source":"web","userId":"u-1"}""";

        Assert.Equal("""{"event_id":"E1","source":"web"}""", OutcomeAssert.Accepted(declared.Process(Payload)).Event.PropertiesJson);
        Assert.Equal("""{"event_id":"E1"}""", OutcomeAssert.Accepted(undeclared.Process(Payload)).Event.PropertiesJson);
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
