using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class ArchiveAfterRetentionRuleTests
{
    private const string Code = "archive-after-retention";

    [Fact]
    public void Category_archiving_after_its_retention_is_warned_once_at_the_category()
    {
        var yaml = """
            plan: t
            version: '1'
            categories:
              user_events:
                retention: 1y
                archive_after: 2y
            events:
              user_login: {category: user_events}
              user_logout: {category: user_events}
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal(4, d.Location.Line);
        Assert.Contains("category 'user_events': archive_after (730d) is not shorter than retention (365d)", d.Message);
    }

    [Fact]
    public void Event_that_sets_its_own_pair_is_warned_at_the_event()
    {
        var d = Assert.Single(Linted.Only(Code, "plan: t\nversion: '1'\nevents:\n  a_b: {retention: 30d, archive_after: 30d}\n"));
        Assert.Equal(4, d.Location.Line);
        Assert.StartsWith("event 'a_b'", d.Message);
    }

    [Theory]
    [InlineData("defaults: {retention: 2y, archive_after: 90d}")]
    [InlineData("defaults: {retention: forever, archive_after: 1y}")]
    [InlineData("defaults: {retention: 2y}")]
    public void Archiving_before_deletion_passes(string defaults) =>
        Assert.Empty(Linted.Only(Code, $"plan: t\nversion: '1'\n{defaults}\nevents:\n  a_b: {{}}\n"));
}
