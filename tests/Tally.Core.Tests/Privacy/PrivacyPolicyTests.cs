using System.Security.Cryptography;
using System.Text;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Privacy;

/// <summary>Each plan privacy policy, seen from what is stored.</summary>
public class PrivacyPolicyTests
{
    private static string Order(string extra) => Some.Track("order_completed", TestPlans.OrderProperties + "," + extra);

    private static System.Text.Json.JsonElement Stored(string extra, string? environment = null) =>
        OutcomeAssert.Properties(Some.Pipeline(TestPlans.Shop).Process(Order(extra), Some.Context(environment: environment)));

    [Fact]
    public void Email_is_hashed_before_it_is_stored()
    {
        var outcome = Some.Pipeline(TestPlans.Shop).Process(Order("\"email\":\"ada@example.com\""));

        var json = OutcomeAssert.Accepted(outcome).Event.PropertiesJson;
        Assert.DoesNotContain("ada@example.com", json);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Some.Salt, Encoding.UTF8.GetBytes("ada@example.com")));
        Assert.Equal(expected, OutcomeAssert.Properties(outcome).GetProperty("email").GetString());
    }

    [Fact]
    public void Same_email_and_salt_give_the_same_hash_and_another_salt_another()
    {
        string HashWith(byte[] salt) => OutcomeAssert.Properties(Some.Pipeline(TestPlans.Shop, salt).Process(Order("\"email\":\"ada@example.com\"")))
            .GetProperty("email").GetString()!;

        Assert.Equal(HashWith(Some.Salt), HashWith(Some.Salt));
        Assert.NotEqual(HashWith(Some.Salt), HashWith("another-salt"u8.ToArray()));
    }

    [Fact]
    public void Length_policy_stores_the_length_only()
    {
        var stored = Stored("\"comment\":\"The ring was lovely, call me on 0612345678\"");
        Assert.Equal(42, stored.GetProperty("comment").GetInt32());
    }

    [Fact]
    public void Day_policy_stores_the_UTC_day()
    {
        var stored = Stored("\"birthday\":\"1990-03-04T23:30:00-02:00\"");
        Assert.Equal("1990-03-05", stored.GetProperty("birthday").GetString());
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0")]
    [InlineData("2001:db8:85a3:1234:5678:8a2e:370:7334", "2001:db8:85a3::")]
    public void Ip_policy_zeroes_the_host_part(string ip, string expected)
    {
        Assert.Equal(expected, Stored($"\"client_ip\":\"{ip}\"").GetProperty("client_ip").GetString());
    }

    [Fact]
    public void Drop_policy_removes_the_property()
    {
        var outcome = Some.Pipeline(TestPlans.Shop).Process(Order("\"card_last4\":\"4242\""));
        var accepted = OutcomeAssert.Accepted(outcome);
        Assert.DoesNotContain("4242", accepted.Event.PropertiesJson);
        Assert.Contains("card_last4", accepted.DroppedFields);
    }

    [Fact]
    public void Only_in_property_is_kept_in_its_environment_and_dropped_elsewhere()
    {
        const string trace = "\"stack_trace\":\"at Foo.Bar()\"";
        Assert.Equal("at Foo.Bar()", Stored(trace, "development").GetProperty("stack_trace").GetString());
        Assert.False(Stored(trace, "production").TryGetProperty("stack_trace", out _));
        Assert.False(Stored(trace).TryGetProperty("stack_trace", out _));
    }

    [Fact]
    public void Nested_object_field_policies_apply()
    {
        var pipeline = Some.Pipeline(TestPlans.Shop);
        var outcome = pipeline.Process(Order("\"address\":{\"city\":\"Paris\",\"street\":\"1 Rue de Rivoli\"}"));

        var address = OutcomeAssert.Properties(outcome).GetProperty("address");
        Assert.Equal("Paris", address.GetProperty("city").GetString());
        Assert.Equal(pipeline.Hasher.Hash("1 Rue de Rivoli"), address.GetProperty("street").GetString());
        Assert.DoesNotContain("Rivoli", OutcomeAssert.Accepted(outcome).Event.PropertiesJson);
    }

    [Fact]
    public void Policies_of_array_items_apply_to_every_item()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            events:
              invited:
                required: [guests]
                properties:
                  guests:
                    type: array
                    items:
                      type: object
                      properties:
                        email: {type: string, pii: hash}
                        role: string
                  phones: {type: array, items: {type: string, pii: hash}}
                optional: [phones]
            """);

        var outcome = pipeline.Process(Some.Track("invited",
            "\"guests\":[{\"email\":\"ada@example.com\",\"role\":\"owner\",\"note\":\"VIP, ring size 52\"}],\"phones\":[\"+33612345678\"]"));

        var accepted = OutcomeAssert.Accepted(outcome);
        Assert.DoesNotContain("ada@example.com", accepted.Event.PropertiesJson);
        Assert.DoesNotContain("+33612345678", accepted.Event.PropertiesJson);
        Assert.DoesNotContain("ring size", accepted.Event.PropertiesJson);
        var guest = OutcomeAssert.Properties(outcome).GetProperty("guests")[0];
        Assert.Equal(pipeline.Hasher.Hash("ada@example.com"), guest.GetProperty("email").GetString());
        Assert.Equal("owner", guest.GetProperty("role").GetString());
        Assert.Equal(pipeline.Hasher.Hash("+33612345678"), OutcomeAssert.Properties(outcome).GetProperty("phones")[0].GetString());
    }

    [Fact]
    public void An_array_item_its_policy_removes_becomes_null_and_keeps_the_others_in_place()
    {
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            events:
              hops:
                required: [ips]
                properties:
                  ips: {type: array, items: {type: string, pii: ip}}
            """);
        var accepted = OutcomeAssert.Accepted(pipeline.Process(Some.Track("hops", "\"ips\":[\"10.1.2.3\",\"not-an-ip\",\"10.9.9.9\"]")));

        Assert.Equal("""{"ips":["10.1.2.0",null,"10.9.9.0"]}""", accepted.Event.PropertiesJson);
        Assert.Contains("ips[1]", accepted.DroppedFields);
    }

    [Fact]
    public void Quarantined_payload_holds_neither_a_raw_email_nor_raw_undeclared_text()
    {
        const string email = "ada@example.com", note = "Please call Ada on 0612345678";
        var pipeline = Some.Pipeline(TestPlans.Shop);
        // Missing the required total, so the event is quarantined.
        var outcome = pipeline.Process(Some.Track("order_completed",
            $"\"sessionId\":\"s-1\",\"order_id\":\"ORD-1234\",\"email\":\"{email}\",\"free_text\":\"{note}\""));

        var q = OutcomeAssert.Quarantined(outcome);
        Assert.DoesNotContain(email, q.PayloadJson);
        Assert.DoesNotContain("0612345678", q.PayloadJson);
        Assert.Contains(pipeline.Hasher.Hash(email), q.PayloadJson);
        Assert.Contains(pipeline.Hasher.Hash(note), q.PayloadJson);
        Assert.All(q.Reasons, r => Assert.DoesNotContain("Ada", r.Message));
    }
}
