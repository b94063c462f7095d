using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans;

public class PlanLoaderTests
{
    [Fact]
    public void Malformed_yaml_gives_one_located_error()
    {
        var result = PlanLoader.Parse("plan: x\nversion: 1\nevents:\n  a: [unclosed\n", "bad.yaml");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("yaml-syntax", d.Code);
        Assert.Equal("bad.yaml", d.Location.File);
        Assert.True(d.Location.Line >= 4, d.ToString());
        Assert.StartsWith("bad.yaml:", d.ToString());
        Assert.Null(result.Plan);
    }

    [Fact]
    public void Unknown_key_is_reported_at_its_line_with_a_suggestion()
    {
        var yaml = "plan: x\nversion: '1'\nevents:\n  signup_completed:\n    requird: [a]\n";
        var result = PlanLoader.Parse(yaml, "p.yaml");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("unknown-key", d.Code);
        Assert.Equal(5, d.Location.Line);
        Assert.Contains("did you mean 'required'", d.Message);
    }

    [Fact]
    public void Filters_read_from_shorthand_and_long_form_alike()
    {
        var yaml = """
            plan: x
            version: '1'
            funnels:
              f:
                steps:
                  - a_opened(intent=track_order)
                  - event: b_done
                    where: {rating: great}
            """;
        var plan = PlanLoader.Parse(yaml).GetPlanOrThrow();
        var steps = plan.Funnels[0].Steps;
        Assert.Equal("a_opened", steps[0].Event);
        Assert.Equal("track_order", steps[0].Filter.Where["intent"]);
        Assert.Equal("great", steps[1].Filter.Where["rating"]);
    }
}
