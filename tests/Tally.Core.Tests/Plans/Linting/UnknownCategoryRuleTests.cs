using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class UnknownCategoryRuleTests
{
    private const string Code = "unknown-category";

    [Fact]
    public void Misspelt_category_is_reported_with_a_suggestion()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 30d}
            categories:
              security_events: {retention: 7y}
            events:
              user_login: {category: security_event}
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(7, d.Location.Line);
        Assert.EndsWith("category 'security_event' is not declared; did you mean 'security_events'?", d.Message);
    }

    [Fact]
    public void Declared_category_passes() =>
        Assert.Empty(Linted.Only(Code, "plan: t\nversion: '1'\ncategories:\n  security: {retention: 7y}\nevents:\n  a_b: {category: security}\n"));
}
