using System.Text.Json;
using System.Text.Json.Nodes;
using Tally.Core.Events;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Collector;

/// <summary><c>/v1/events</c>: payloads in the plan's own envelope, as a JSON array, one object, or NDJSON.</summary>
public sealed class FlatEventsTests(SkillForgeServer skillForge, AuterityServer auterity) : IClassFixture<SkillForgeServer>, IClassFixture<AuterityServer>
{
    [Fact]
    public async Task The_seed_002_sample_payloads_posted_as_an_array_are_stored()
    {
        var assessment = SeedPayloads.SkillForgeAssessment();
        var optOut = SeedPayloads.SkillForgeOptOut();

        var posted = await skillForge.Server.PostAsync("/v1/events", Some.Array(assessment, optOut));

        posted.ShouldBeIngested(accepted: 2);
        var stored = (await skillForge.Server.EventsOfAsync(posted.RequestId)).ToDictionary(e => e.Name);
        var a = stored["assessment_completed"];
        Assert.Equal(("usr_12345", "0f3c2f74-1e61-4c3c-90b1-8e1bf7d5c812"), (a.UserId, a.AnonymousId));
        Assert.Equal(DateTimeOffset.Parse(assessment["event_timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), a.Timestamp);
        using (var props = JsonDocument.Parse(a.PropertiesJson))
        {
            Assert.Equal(72, props.RootElement.GetProperty("readiness_score").GetInt32());
            Assert.Equal("assess_9087", props.RootElement.GetProperty("assessment_id").GetString());
            // Client-hashed (prehashed) values are stored as sent, not hashed again.
            Assert.Equal(assessment["pii_hash"]!.GetValue<string>(), props.RootElement.GetProperty("pii_hash").GetString());
            Assert.False(props.RootElement.TryGetProperty("event_name", out _), "envelope fields are not properties");
        }
        Assert.Equal("usr_67890", stored["settings_tracking_opt_out"].UserId);
        // The plan merges identities by pii_hash: both users got a merge-key link.
        var links = await skillForge.Server.LinksAsync();
        Assert.Contains(links, l => l.ToUserId == "usr_12345" && l.Kind == IdentityLink.MergeKey && l.FromId.EndsWith(assessment["pii_hash"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task NDJSON_lines_are_each_stored()
    {
        var userId = Some.Id("usr");
        var events = new[] { Some.SkillForge("session_started", userId), Some.SkillForge("resume_parsed", userId), Some.SkillForge("career_match_viewed", userId) };

        var posted = await skillForge.Server.PostAsync("/v1/events", Some.Ndjson([.. events.Select(e => e.ToJsonString())]), "application/x-ndjson");

        posted.ShouldBeIngested(accepted: 3);
        Assert.Equal(events.Select(e => e["event_id"]!.GetValue<string>()).Order(),
            (await skillForge.Server.EventsOfAsync(posted.RequestId)).Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_malformed_NDJSON_line_is_quarantined_and_the_other_lines_are_stored()
    {
        var userId = Some.Id("usr");
        var first = Some.SkillForge("session_started", userId);
        var last = Some.SkillForge("resume_parsed", userId);
        var broken = """{"event_name":"career_match_viewed","persona":"student","context_page":"/x",""";

        var posted = await skillForge.Server.PostAsync("/v1/events", Some.Ndjson(first.ToJsonString(), broken, last.ToJsonString()), "application/x-ndjson");

        posted.ShouldBeIngested(accepted: 2, quarantined: 1);
        Assert.Equal(new[] { first, last }.Select(e => e["event_id"]!.GetValue<string>()).Order(),
            (await skillForge.Server.EventsOfAsync(posted.RequestId)).Select(e => e.EventId).Order());
        var q = Assert.Single(await skillForge.Server.QuarantineOfAsync(posted.RequestId));
        Assert.Equal("malformed_json", Assert.Single(q.Reasons).Code);
        Assert.Equal("flat:/v1/events", q.Source);
    }

    [Fact]
    public async Task A_seed_001_base_event_is_stored_with_its_envelope_and_an_anonymized_ip()
    {
        var login = SeedPayloads.Load("seed001-user_login.json", timestampField: "timestamp");
        var eventId = Guid.NewGuid().ToString();
        login["event_id"] = eventId;
        login["properties"]!["login_timestamp"] = login["timestamp"]!.GetValue<string>();

        var posted = await auterity.Server.PostAsync("/v1/events", login.ToJsonString());

        posted.ShouldBeIngested(accepted: 1);
        var stored = Assert.Single(await auterity.Server.EventsOfAsync(posted.RequestId));
        Assert.Equal((eventId, "user.login", "usr_8812", "sess_5f2a9c", "production", "auth-service"),
            (stored.EventId, stored.Name, stored.UserId, stored.SessionId, stored.Environment, stored.Source));
        var props = JsonNode.Parse(stored.PropertiesJson)!;
        Assert.Equal("sso", props["login_method"]!.GetValue<string>());
        Assert.Equal("org_dealer_042", props["organization_id"]!.GetValue<string>()); // lifted from beside the bag
        Assert.Equal("user.engagement", props["event_type"]!.GetValue<string>());
        Assert.Equal("198.51.100.0", props["ip_address"]!.GetValue<string>()); // pii: ip keeps the /24
    }
}
