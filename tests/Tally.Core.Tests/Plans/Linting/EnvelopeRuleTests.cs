using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class EnvelopeRuleTests
{
    private const string Code = "envelope";

    [Fact]
    public void Flat_envelope_with_an_empty_event_path_is_an_error_at_the_envelope()
    {
        var yaml = "plan: t\nversion: '1'\nenvelope:\n  format: flat\n  event: ''\n";
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(4, d.Location.Line);
        Assert.Contains("'event' is empty", d.Message);
    }

    [Theory]
    [InlineData("{event_id: id, anonymous_id: id}", "'anonymous_id' and 'event_id' both read 'id'")]
    [InlineData("{session_id: properties..sessionId}", "has an empty segment")]
    public void Broken_paths_are_errors(string envelope, string expected)
    {
        var d = Assert.Single(Linted.Only(Code, $"plan: t\nversion: '1'\nenvelope: {envelope}\n"));
        Assert.Contains(expected, d.Message);
    }

    [Theory]
    [InlineData("envelope: {format: segment}\n")]
    [InlineData("envelope: {format: flat, properties: properties, extra: [organization_id]}\n")]
    [InlineData("envelope: {format: flat, user_id: '', anonymous_id: '', count: count}\nidentity: {identifiers: false}\n")]
    public void Usable_envelopes_pass(string rest) => Assert.Empty(Linted.Only(Code, "plan: t\nversion: '1'\n" + rest));
}
