using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class NamingRuleTests
{
    private const string Code = "naming";

    private static string Plan(string naming, params string[] events) =>
        $"plan: t\nversion: '1'\ndefaults: {{retention: 30d}}\nnaming: {naming}\nevents:\n" + string.Concat(events.Select(e => $"  {e}: {{}}\n"));

    [Fact]
    public void Camel_case_event_breaks_snake_case_at_its_line()
    {
        var d = Assert.Single(Linted.Only(Code, Plan("{style: snake_case}", "widget_open", "WidgetClose")));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(7, d.Location.Line);
        Assert.Contains("'WidgetClose' is not lower snake_case", d.Message);
    }

    [Theory]
    [InlineData("{style: snake_case}", "resume_parsed_v2")]
    [InlineData("{style: dot_case}", "user.login")]
    [InlineData("{style: dot_case}", "workflow.execution_started")]
    [InlineData("{pattern: '^aurora_'}", "aurora_widget_open")]
    [InlineData("{prefixes: [student_, career_changer_], prefix_required: true, min_words: 2}", "career_changer_resume_uploaded")]
    [InlineData("{prefixes: [student], min_words: 2}", "session_started")]
    [InlineData("{style: snake_case, min_words: 2}", "onboarding_completed_v2")]
    public void Conforming_names_pass(string naming, string name) => Assert.Empty(Linted.Only(Code, Plan(naming, name)));

    [Theory]
    [InlineData("{style: snake_case}", "widget__open", "not lower snake_case")]
    [InlineData("{style: snake_case}", "widget-open", "not lower snake_case")]
    [InlineData("{style: dot_case}", "user_login", "not category.action")]
    [InlineData("{style: dot_case}", "a.b.c", "not category.action")]
    [InlineData("{pattern: '^aurora_'}", "widget_open", "does not match the naming pattern '^aurora_'")]
    [InlineData("{prefixes: [student_, advisor_], prefix_required: true}", "teacher_note_added", "must start with one of: student_, advisor_")]
    [InlineData("{prefixes: [student_], min_words: 2}", "student_onboarded", "has 1 word after its prefix 'student_'")]
    [InlineData("{style: snake_case, min_words: 2}", "onboarding_v2", "has 1 word")]
    public void Breaking_names_are_reported(string naming, string name, string expected)
    {
        var d = Assert.Single(Linted.Only(Code, Plan(naming, name)));
        Assert.Contains(expected, d.Message);
    }

    [Fact]
    public void Property_names_are_not_checked_for_style()
    {
        var yaml = "plan: t\nversion: '1'\ndefaults: {retention: 30d}\nnaming: {style: snake_case}\nproperties:\n  sessionId: string\nevents:\n  widget_open: {required: [sessionId]}\n";
        Assert.Empty(Linted.Only(Code, yaml));
    }
}
