using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class EnvelopeMapperTests
{
    [Fact]
    public void Segment_track_maps_name_ids_session_and_properties()
    {
        var payload = Some.Json("""
            {"type":"track","event":"order_completed","messageId":"m-1","anonymousId":"anon-7","userId":"u-7",
             "timestamp":"2024-05-21T09:00:00Z","properties":{"sessionId":"s-9","order_id":"ORD-1234","total":3}}
            """);

        var m = EnvelopeMapper.Map(payload, TestPlans.Shop);

        Assert.Equal("track", m.Type);
        Assert.Equal("order_completed", m.Name);
        Assert.Equal("m-1", m.EventId);
        Assert.Equal("anon-7", m.AnonymousId);
        Assert.Equal("u-7", m.UserId);
        Assert.Equal("s-9", m.SessionId);
        Assert.Equal("2024-05-21T09:00:00Z", m.TimestampText);
        Assert.Equal("ORD-1234", m.Properties["order_id"].GetString());
        Assert.Equal(3, m.Properties["total"].GetInt32());
    }

    [Fact]
    public void Flat_payload_fields_beside_the_event_name_are_properties()
    {
        // Seed 002's shape: envelope fields and properties side by side at the root.
        var plan = TestPlans.Parse("""
            plan: skills
            version: '1'
            envelope: {format: flat}
            events:
              assessment_completed:
                required: [persona, readiness_score]
                properties:
                  persona: string
                  readiness_score: number
            """);
        var payload = Some.Json("""
            {"event_name":"assessment_completed","event_timestamp":"2024-05-21T15:42:18Z",
             "anonymous_id":"0f3c2f74","user_id":"usr_12345","persona":"student","readiness_score":72}
            """);

        var m = EnvelopeMapper.Map(payload, plan);

        Assert.Equal("assessment_completed", m.Name);
        Assert.Equal("2024-05-21T15:42:18Z", m.TimestampText);
        Assert.Equal("0f3c2f74", m.AnonymousId);
        Assert.Equal("usr_12345", m.UserId);
        Assert.Equal(["persona", "readiness_score"], m.Properties.Keys.Order());
    }

    [Fact]
    public void BaseEvent_payload_reads_the_properties_bag_and_lifts_extra_fields()
    {
        // Seed 001's shape: a `properties` bag, with organization_id and version beside it.
        var plan = TestPlans.Parse("""
            plan: auto
            version: '1'
            environments: [production, staging]
            envelope:
              format: flat
              event: event_name
              timestamp: timestamp
              session_id: session_id
              environment: environment
              source: source
              properties: properties
              extra: [organization_id, version]
            events:
              workflow.created:
                required: [organization_id, version, workflow_id]
                properties:
                  organization_id: string
                  version: string
                  workflow_id: string
            """);
        var payload = Some.Json("""
            {"event_id":"e-1","event_name":"workflow.created","timestamp":"2024-05-21T09:00:00Z","organization_id":"org-1",
             "session_id":"s-1","environment":"staging","source":"api","version":"1.2.3","user_id":"u-1",
             "properties":{"workflow_id":"wf-9"}}
            """);

        var m = EnvelopeMapper.Map(payload, plan);

        Assert.Equal("workflow.created", m.Name);
        Assert.Equal("e-1", m.EventId);
        Assert.Equal("s-1", m.SessionId);
        Assert.Equal("staging", m.Environment);
        Assert.Equal("api", m.Source);
        Assert.Equal(["organization_id", "version", "workflow_id"], m.Properties.Keys.Order());
        Assert.Equal("org-1", m.Properties["organization_id"].GetString());

        var outcome = Some.Pipeline(plan).Process(payload, Some.Context());
        Assert.Equal("staging", OutcomeAssert.Accepted(outcome).Event.Environment);
    }

    [Fact]
    public void Numeric_user_id_is_accepted_as_its_text()
    {
        var m = EnvelopeMapper.Map(Some.Json("""{"type":"track","event":"page_viewed","userId":12345,"properties":{}}"""), TestPlans.Shop);
        Assert.Equal("12345", m.UserId);
    }

    [Fact]
    public void Identify_links_the_anonymous_id_to_the_user()
    {
        var outcome = Some.Pipeline(TestPlans.Shop).Process("""
            {"type":"identify","messageId":"m-1","anonymousId":"anon-1","userId":"u-1","traits":{"plan":"pro"}}
            """);

        var accepted = OutcomeAssert.Accepted(outcome);
        Assert.Equal("$identify", accepted.Event.Name);
        Assert.Equal("identify", accepted.Event.Type);
        var link = Assert.Single(accepted.Links);
        Assert.Equal(new IdentityLink("anon-1", "u-1", IdentityLink.Identify, Some.Now), link);
    }

    [Fact]
    public void Alias_links_the_previous_id_to_the_user()
    {
        var outcome = Some.Pipeline(TestPlans.Shop).Process("""{"type":"alias","messageId":"m-1","previousId":"old-9","userId":"u-1"}""");

        var accepted = OutcomeAssert.Accepted(outcome);
        Assert.Equal("$alias", accepted.Event.Name);
        Assert.Equal("old-9", accepted.Event.PreviousId);
        var link = Assert.Single(accepted.Links);
        Assert.Equal(new IdentityLink("old-9", "u-1", IdentityLink.Alias, Some.Now), link);
    }

    [Fact]
    public void Identify_traits_follow_the_undeclared_policy_and_are_never_kept_raw()
    {
        var outcome = Some.Pipeline(TestPlans.Shop).Process("""
            {"type":"identify","anonymousId":"anon-1","userId":"u-1","traits":{"email":"ada@example.com","name":"Ada"}}
            """);

        var accepted = OutcomeAssert.Accepted(outcome);
        Assert.Equal("{}", accepted.Event.PropertiesJson);
        Assert.Contains("email", accepted.DroppedFields);
        Assert.Contains("name", accepted.DroppedFields);
    }

    [Fact]
    public void Segment_context_ip_user_agent_and_traits_never_reach_the_stored_properties()
    {
        var json = Some.Track("order_completed", TestPlans.OrderProperties, extra: """
            "context":{"ip":"203.0.113.7","userAgent":"Mozilla/5.0 Secret","traits":{"email":"ada@example.com"},"library":{"name":"analytics.js"}}
            """);

        var accepted = OutcomeAssert.Accepted(Some.Pipeline(TestPlans.Shop).Process(json));

        Assert.DoesNotContain("203.0.113", accepted.Event.PropertiesJson);
        Assert.DoesNotContain("Mozilla", accepted.Event.PropertiesJson);
        Assert.DoesNotContain("ada@", accepted.Event.PropertiesJson);
        Assert.Contains("context.ip", accepted.DroppedFields);
        Assert.Contains("context.userAgent", accepted.DroppedFields);
        Assert.Contains("context.traits", accepted.DroppedFields);
        Assert.Equal("analytics.js", accepted.Event.Source);
    }

    [Fact]
    public void A_payload_that_is_not_an_object_is_quarantined()
    {
        var outcome = Some.Pipeline(TestPlans.Shop).Process(Some.Json("[1,2]"), Some.Context());
        Assert.Equal([ViolationCodes.NotAnObject], OutcomeAssert.Codes(outcome));
    }

    [Fact]
    public void Find_walks_dotted_paths_and_returns_null_when_a_part_is_missing()
    {
        var root = Some.Json("""{"a":{"b":{"c":1}}}""");
        Assert.Equal(1, EnvelopeMapper.Find(root, "a.b.c")!.Value.GetInt32());
        Assert.Null(EnvelopeMapper.Find(root, "a.x.c"));
        Assert.Equal(JsonValueKind.Object, EnvelopeMapper.Find(root, "a.b")!.Value.ValueKind);
    }

    [Fact]
    public void Escaped_field_names_are_read_like_plain_ones()
    {
        // "\u0065vent" is "event", "\u006DessageId" is "messageId": the one-pass reader compares raw bytes, so an
        // escaped name must still be matched decoded.
        var payload = Some.Json("""
            {"type":"track","\u0065vent":"order_completed","\u006DessageId":"m-2","anonymousId":"a",
             "properties":{"sessionId":"s-1","order_id":"ORD-1"}}
            """);

        var m = EnvelopeMapper.Map(payload, TestPlans.Shop);

        Assert.Equal("order_completed", m.Name);
        Assert.Equal("m-2", m.EventId);
    }

    [Fact]
    public void A_repeated_field_is_read_from_its_last_occurrence()
    {
        var payload = Some.Json("""
            {"type":"track","event":"page_viewed","messageId":"first","messageId":"last","anonymousId":"a","properties":{}}
            """);

        var m = EnvelopeMapper.Map(payload, TestPlans.Shop);

        Assert.Equal("last", m.EventId);
        Assert.Equal(EnvelopeMapper.Find(payload, "messageId")!.Value.GetString(), m.EventId);
    }

    [Fact]
    public void Envelope_fields_match_a_lookup_of_each_path_on_random_payloads()
    {
        // The reference is the plain lookup the mapper used before it read the payload in one pass: each envelope
        // path looked up on its own with Find.
        var plan = TestPlans.Shop;
        var env = plan.Envelope;
        var rnd = new Random(7);
        string[] names = ["type", "event", "messageId", "anonymousId", "userId", "timestamp", "sentAt", "properties", "context", "other"];
        for (var i = 0; i < 2_000; i++)
        {
            var fields = Enumerable.Range(0, rnd.Next(0, 12)).Select(_ => names[rnd.Next(names.Length)]).Select(n => n switch
            {
                "properties" => $"\"properties\":{{\"sessionId\":\"s-{rnd.Next(5)}\"}}",
                "context" => "\"context\":{\"ip\":\"203.0.113.9\"}",
                "type" => $"\"type\":\"{(rnd.Next(2) == 0 ? "track" : "page")}\"",
                _ => rnd.Next(6) == 0 ? $"\"{n}\":{rnd.Next(100)}" : $"\"{n}\":\"v{rnd.Next(100)}\"",
            });
            var payload = Some.Json("{" + string.Join(",", fields) + "}");

            var m = EnvelopeMapper.Map(payload, plan);

            string? Lookup(string? path) => path is null ? null : EnvelopeMapper.Find(payload, path) is { } v ? EnvelopeMapper.Scalar(v) : null;
            Assert.Equal(Lookup(env.EventId), m.EventId);
            Assert.Equal(Lookup(env.AnonymousId), m.AnonymousId);
            Assert.Equal(Lookup(env.UserId), m.UserId);
            Assert.Equal(Lookup(env.Timestamp), m.TimestampText);
            Assert.Equal(Lookup(env.SentAt), m.SentAtText);
            Assert.Equal((Lookup("type") ?? "track").ToLowerInvariant(), m.Type);
            if (m.Type == "track") Assert.Equal(Lookup(env.Event), m.Name);
            Assert.NotNull(env.SessionId); // a dotted path into the properties: properties.sessionId
            Assert.Equal(Lookup(env.SessionId), m.SessionId);
            Assert.Equal(EnvelopeMapper.Find(payload, "context") is { ValueKind: JsonValueKind.Object } ? ["context.ip"] : Array.Empty<string>(), m.DroppedContext);
        }
    }
}
