using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class QuarantinePayloadTests
{
    [Fact]
    public void Write_then_read_gives_the_same_envelope()
    {
        var original = new MappedEvent
        {
            Name = "order_completed",
            Type = "track",
            EventId = "m-1",
            TimestampText = "2024-05-21T09:00:00Z",
            SentAtText = "2024-05-21T09:00:05Z",
            AnonymousId = "anon-1",
            UserId = "u-1",
            SessionId = "s-1",
            Environment = "staging",
            Source = "analytics.js",
            PreviousId = "old-1",
            Count = 3,
        };

        var json = QuarantinePayload.Write(original, """{"email":"abc123","total":4}""", ["email", "address.street"]);
        var read = QuarantinePayload.Read(json);

        Assert.Equal(original.Name, read.Name);
        Assert.Equal(original.Type, read.Type);
        Assert.Equal(original.EventId, read.EventId);
        Assert.Equal(original.TimestampText, read.TimestampText);
        Assert.Equal(original.SentAtText, read.SentAtText);
        Assert.Equal(original.AnonymousId, read.AnonymousId);
        Assert.Equal(original.UserId, read.UserId);
        Assert.Equal(original.SessionId, read.SessionId);
        Assert.Equal(original.Environment, read.Environment);
        Assert.Equal(original.Source, read.Source);
        Assert.Equal(original.PreviousId, read.PreviousId);
        Assert.Equal(original.Count, read.Count);
        Assert.Equal(["email", "total"], read.Properties.Keys.Order());
        Assert.Equal("abc123", read.Properties["email"].GetString());
        Assert.Equal(["address", "email"], read.AlreadyTransformed!.Order());
        // Written again, it is the same text: the form is canonical.
        Assert.Equal(json, QuarantinePayload.Write(read, """{"email":"abc123","total":4}""", ["email", "address"]));
    }

    [Fact]
    public void Absent_fields_read_back_as_absent()
    {
        var read = QuarantinePayload.Read(QuarantinePayload.Write(new MappedEvent(), "{}", []));
        Assert.Null(read.Name);
        Assert.Null(read.UserId);
        Assert.Equal("track", read.Type);
        Assert.Equal(1, read.Count);
        Assert.Empty(read.Properties);
        Assert.Empty(read.AlreadyTransformed!);
    }

    private const string BrokenPlan = """
        plan: p
        version: '1'
        events:
          order_completed:
            required: [order_id, total]
            optional: [email]
            properties:
              order_id: string
              total: number
              email: {type: string, pii: hash}
        """;

    // The fix: total is no longer required.
    private static string FixedPlan(string undeclared = "drop") => $$"""
        plan: p
        version: '2'
        privacy: {undeclared: {{undeclared}}}
        events:
          order_completed:
            required: [order_id]
            optional: [email, total]
            properties:
              order_id: string
              total: number
              email: {type: string, pii: hash}
        """;

    private const string Broken = """
        {"type":"track","event":"order_completed","messageId":"m-1","userId":"u-1","anonymousId":"anon-1",
         "timestamp":"2024-05-21T09:58:00Z","sentAt":"2024-05-21T10:03:00Z",
         "properties":{"order_id":"ORD-1","email":"ada@example.com","note":"call Ada on 0612345678"}}
        """;

    private static (QuarantinedEvent Quarantined, CollectedEvent Replayed, IReadOnlyList<string> Dropped) QuarantineAndReplay(string fixedPlan)
    {
        var q = OutcomeAssert.Quarantined(Some.Pipeline(BrokenPlan).Process(Broken));
        var replay = Some.Pipeline(fixedPlan).Process(QuarantinePayload.Read(q.PayloadJson),
            new IngestContext(q.ReceivedAt, q.Source, q.RequestId, q.Environment));
        var accepted = OutcomeAssert.Accepted(replay);
        return (q, accepted.Event, accepted.DroppedFields);
    }

    [Fact]
    public void Replaying_with_a_fixed_plan_accepts_the_event_without_hashing_twice()
    {
        var firstPass = Some.Pipeline(BrokenPlan).Hasher.Hash("ada@example.com");

        var (q, replayed, _) = QuarantineAndReplay(FixedPlan());

        Assert.Contains(firstPass, q.PayloadJson);
        Assert.Equal(firstPass, Some.Json(replayed.PropertiesJson).GetProperty("email").GetString());
        Assert.Equal("ORD-1", Some.Json(replayed.PropertiesJson).GetProperty("order_id").GetString());
        Assert.Equal("m-1", replayed.EventId);
        Assert.Equal(q.EventId, replayed.EventId);
        Assert.Equal("u-1", replayed.UserId);
    }

    [Fact]
    public void Replay_keeps_the_event_time_of_the_first_receipt()
    {
        // Clock-skew correction needs the original receipt time, which the quarantined event keeps.
        var (_, replayed, _) = QuarantineAndReplay(FixedPlan());
        Assert.Equal(new DateTimeOffset(2024, 5, 21, 9, 55, 0, TimeSpan.Zero), replayed.Timestamp);
    }

    [Fact]
    public void Replay_drops_an_undeclared_property_the_plan_still_does_not_declare()
    {
        // Quarantine keeps undeclared fields hashed; a replay must apply the plan's undeclared policy, not keep them.
        var (_, replayed, dropped) = QuarantineAndReplay(FixedPlan("drop"));

        Assert.False(Some.Json(replayed.PropertiesJson).TryGetProperty("note", out _));
        Assert.Contains("note", dropped);
    }

    [Fact]
    public void Replay_keeps_an_undeclared_property_hashed_once_under_the_hash_policy()
    {
        var (_, replayed, _) = QuarantineAndReplay(FixedPlan("hash"));
        Assert.Equal(Some.Pipeline(BrokenPlan).Hasher.Hash("call Ada on 0612345678"), Some.Json(replayed.PropertiesJson).GetProperty("note").GetString());
    }

    [Fact]
    public void Replay_with_an_unchanged_plan_quarantines_again_with_the_same_reason()
    {
        var q = OutcomeAssert.Quarantined(Some.Pipeline(BrokenPlan).Process(Broken));
        var again = OutcomeAssert.Quarantined(Some.Pipeline(BrokenPlan).Process(QuarantinePayload.Read(q.PayloadJson), Some.Context()));

        Assert.Equal(q.Reasons.Select(r => r.Code), again.Reasons.Select(r => r.Code));
        Assert.Equal(q.EventId, again.EventId);
        // Still hashed once: the hash of the first pass, not a hash of it.
        Assert.Equal(Some.Json(q.PayloadJson).GetProperty("properties").GetProperty("email").GetString(),
            Some.Json(again.PayloadJson).GetProperty("properties").GetProperty("email").GetString());
    }

    [Fact]
    public void Quarantined_event_keeps_every_reason_and_the_request()
    {
        var ctx = Some.Context(requestId: "req-9");
        var q = OutcomeAssert.Quarantined(Some.Pipeline(BrokenPlan).Process(Some.Json("""
            {"type":"track","event":"order_completed","timestamp":"soon","properties":{"order_id":7}}
            """), ctx));

        Assert.Equal([ViolationCodes.BadTimestamp, ViolationCodes.MissingProperty, ViolationCodes.WrongType], q.Reasons.Select(r => r.Code).Order());
        Assert.Equal("req-9", q.RequestId);
        Assert.Equal("order_completed", q.EventName);
        Assert.Equal(Some.Now, q.ReceivedAt);
        Assert.False(string.IsNullOrEmpty(q.EventId));
        Assert.Equal(q.EventId, QuarantinePayload.Read(q.PayloadJson).EventId);
    }

    [Fact]
    public void Not_an_object_quarantine_payload_carries_the_generated_event_id()
    {
        var q = OutcomeAssert.Quarantined(Some.Pipeline(BrokenPlan).Process(Some.Json("\"hello\""), Some.Context()));
        Assert.Equal(q.EventId, QuarantinePayload.Read(q.PayloadJson).EventId);
    }

    [Fact]
    public void Oversize_quarantine_payload_keeps_only_the_envelope()
    {
        var big = new string('x', 40_000);
        var q = OutcomeAssert.Quarantined(Some.Pipeline(BrokenPlan).Process(
            Some.Track("order_completed", $"\"order_id\":\"{big}\"", messageId: "m-big"), rawBytes: 40_100));

        var read = QuarantinePayload.Read(q.PayloadJson);
        Assert.Equal("m-big", read.EventId);
        Assert.Empty(read.Properties);
        Assert.Equal(JsonValueKind.Object, Some.Json(q.PayloadJson).GetProperty("properties").ValueKind);
    }
}
