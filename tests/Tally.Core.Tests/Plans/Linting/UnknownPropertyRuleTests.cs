using System.Text.RegularExpressions;
using Tally.Core.Plans;

namespace Tally.Core.Tests.Plans.Linting;

public class UnknownPropertyRuleTests
{
    private const string Code = "unknown-property";

    [Fact]
    public void Misspelt_where_key_is_reported_with_a_suggestion()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              rating: integer
            events:
              csat_submitted: {required: [rating]}
            kpis:
              nps:
                kind: ratio
                numerator: csat_submitted(ratng=5)
                denominator: csat_submitted
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(11, d.Location.Line);
        Assert.Contains("property 'ratng' is not defined for event 'csat_submitted'; did you mean 'rating'?", d.Message);
    }

    [Fact]
    public void Required_name_without_a_definition_is_reported_at_its_event()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              sessionId: string
            events:
              widget_open:
                required: [sesionId]
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(7, d.Location.Line);
        Assert.Equal("event 'widget_open': property 'sesionId' is not defined; did you mean 'sessionId'?", d.Message);
    }

    [Fact]
    public void Dotted_keys_reach_into_declared_objects_and_missing_fields_are_named()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            properties:
              decision:
                type: object
                properties:
                  action: {type: enum, values: [answer, escalate]}
              context: object
            events:
              decided: {required: [decision, context]}
              other_event: {}
            funnels:
              f:
                steps:
                  - decided(decision.action=answer, context.page=x)
                  - decided(decision.acton=answer)
            """;
        var d = Assert.Single(Linted.Only(Code, yaml));
        Assert.Equal(17, d.Location.Line);
        Assert.Contains("object 'decision' has no field 'acton'", d.Message);
        Assert.Contains("did you mean 'action'?", d.Message);
    }

    [Fact]
    public void Event_local_definitions_count()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            events:
              widget_open:
                required: [entryPoint]
                properties:
                  entryPoint: string
            """;
        Assert.Empty(Linted.Only(Code, yaml));
    }

    [Fact]
    public void KPI_breakdown_credit_and_identity_properties_are_checked()
    {
        var yaml = """
            plan: t
            version: '1'
            defaults: {retention: 180d}
            identity:
              session: sesion_id
              merge_by: pii_hsh
              opt_out_property: opt_out
            properties:
              intent: string
            events:
              a_b: {required: [intent]}
              a_c: {required: [intent]}
            funnels:
              f: {steps: [a_b, a_c], breakdown_by: persona}
            kpis:
              k: {kind: rate_by, numerator: a_c, denominator: a_b, group_by: [endpoint]}
              m: {kind: median, event: a_b, property: duration}
            attribution:
              a: {touch: a_b, credit: intnt, conversions: [a_c]}
            """;
        var names = Linted.Only(Code, yaml).Select(d => Regex.Match(d.Message, "property '([^']+)'").Groups[1].Value).Distinct().Order().ToList();
        Assert.Equal(["duration", "endpoint", "intnt", "opt_out", "persona", "pii_hsh", "sesion_id"], names);
    }

    [Fact]
    public void Identity_session_may_name_the_envelope_session_field()
    {
        var yaml = """
            plan: t
            version: '1'
            envelope: {session_id: properties.session_id}
            identity: {session: session_id}
            """;
        Assert.Empty(Linted.Only(Code, yaml));
    }
}
