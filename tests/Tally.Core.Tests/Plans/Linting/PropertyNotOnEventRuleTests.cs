using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class PropertyNotOnEventRuleTests
{
    private const string Code = "property-not-on-event";

    [Fact]
    public void Where_key_the_event_does_not_declare_is_reported()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              intent: string
            events:
              widget_open: {required: [intent]}
              csat_submitted: {}
            funnels:
              f:
                steps:
                  - widget_open
                  - csat_submitted(intent=track_order)
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(13, d.Location.Line);
        Assert.Contains("event 'csat_submitted' does not declare property 'intent'", d.Message);
        Assert.Empty(Linted.Only("unknown-property", yaml));
    }

    [Fact]
    public void Breakdown_needs_only_one_step_that_declares_it()
    {
        var declaredOnOne = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              source: string
            events:
              widget_open: {optional: [source]}
              widget_close: {}
            funnels:
              f: {steps: [widget_open, widget_close], breakdown_by: source}
            """;
        Assert.Empty(Linted.Only(Code, declaredOnOne));
        var declaredOnNone = declaredOnOne.Replace("{optional: [source]}", "{}");
        var d = Assert.Single(Linted.Only(Code, declaredOnNone));
        Assert.Equal(10, d.Location.Line);
    }

    [Fact]
    public void Optional_properties_count_as_declared()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              intent: string
            events:
              widget_open: {}
              csat_submitted: {optional: [intent]}
            funnels:
              f: {steps: [widget_open, 'csat_submitted(intent=track_order)']}
            attribution:
              a: {touch: csat_submitted, credit: intent, conversions: [widget_open]}
            """;
        Assert.Empty(Linted.Only(Code, yaml));
    }

    [Fact]
    public void Rate_by_groups_must_be_on_the_numerator_but_the_denominator_may_lack_them()
    {
        // Seed 004's error rate: errors by endpoint and status code over all requests to the endpoint.
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 30d}
            properties:
              endpoint: string
              status_code: integer
            events:
              api_request: {required: [endpoint]}
              api_error: {required: [endpoint]}
            kpis:
              error_rate:
                kind: rate_by
                numerator: api_error
                denominator: api_request
                group_by: [endpoint, status_code]
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(11, d.Location.Line);
        Assert.Contains("event 'api_error' does not declare property 'status_code'", d.Message);
        Assert.Empty(Linted.Only(Code, yaml.Replace("api_error: {required: [endpoint]}", "api_error: {required: [endpoint, status_code]}")));
    }
}
