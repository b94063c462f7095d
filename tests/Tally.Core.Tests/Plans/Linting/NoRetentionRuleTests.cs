using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class NoRetentionRuleTests
{
    private const string Code = "no-retention";

    [Fact]
    public void Event_with_no_retention_anywhere_is_an_error()
    {
        var yaml = """
            plan: t
            version: '1'
            events:
              widget_open: {retention: 90d}
              widget_close: {}
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(5, d.Location.Line);
        Assert.Contains("event 'widget_close' has no retention", d.Message);
    }

    [Theory]
    [InlineData("defaults: {retention: 180d}\nevents:\n  a_b: {}\n")]
    [InlineData("categories:\n  security: {retention: 7y}\nevents:\n  a_b: {category: security}\n")]
    [InlineData("events:\n  a_b: {retention: forever}\n")]
    [InlineData("events:\n  a_b: {aggregate_only: true}\n")]
    public void Retention_from_event_category_or_defaults_or_no_raw_rows_passes(string rest) =>
        Assert.Empty(Linted.Only(Code, "plan: t\nversion: '1'\n" + rest));
}
