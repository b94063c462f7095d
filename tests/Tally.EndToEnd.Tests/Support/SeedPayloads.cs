using System.Text.Json.Nodes;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>
/// Sample payloads copied verbatim from the seeds (under <c>Payloads/</c>). Their timestamps are from 2024, older
/// than a test server's window for "now", so a test gives each a recent one before posting it.
/// </summary>
public static class SeedPayloads
{
    public static JsonObject Load(string file, DateTimeOffset? timestamp = null, string timestampField = "event_timestamp")
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", file)))!.AsObject();
        node[timestampField] = Some.Iso(timestamp ?? DateTimeOffset.UtcNow.AddMinutes(-1));
        return node;
    }

    /// <summary>Seed 002's first sample: a student's assessment_completed.</summary>
    public static JsonObject SkillForgeAssessment() => Load("seed002-assessment_completed.json");

    /// <summary>Seed 002's second sample: a career changer opting out of tracking.</summary>
    public static JsonObject SkillForgeOptOut() => Load("seed002-settings_tracking_opt_out.json");
}
