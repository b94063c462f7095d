using Tally.Core.Events;
using Tally.Core.Pipeline;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class PlanValidatorTests
{
    private readonly EventPipeline _pipeline = Some.Pipeline(TestPlans.Shop);

    private PipelineOutcome Order(string extraProperties) =>
        _pipeline.Process(Some.Track("order_completed", TestPlans.OrderProperties + "," + extraProperties));

    private static Violation Single(PipelineOutcome outcome, string code)
    {
        var q = OutcomeAssert.Quarantined(outcome);
        var v = Assert.Single(q.Reasons);
        Assert.Equal(code, v.Code);
        return v;
    }

    [Fact]
    public void A_valid_event_is_accepted()
    {
        var accepted = OutcomeAssert.Accepted(Order("\"quantity\":2,\"gift\":true,\"colour\":\"red\",\"tags\":[\"a\",\"b\"],\"placed_at\":\"2024-05-21T09:00:00Z\""));
        Assert.Equal("order_completed", accepted.Event.Name);
    }

    [Fact]
    public void Unknown_event_is_quarantined_with_a_suggestion()
    {
        var v = Single(_pipeline.Process(Some.Track("order_complete", TestPlans.OrderProperties)), ViolationCodes.UnknownEvent);
        Assert.Contains("did you mean 'order_completed'", v.Message);
    }

    [Fact]
    public void Missing_event_name_is_quarantined()
    {
        Single(_pipeline.Process("""{"type":"track","properties":{}}"""), ViolationCodes.MissingEventName);
    }

    [Fact]
    public void Missing_required_property_is_reported_by_name()
    {
        var v = Single(_pipeline.Process(Some.Track("order_completed", "\"sessionId\":\"s-1\",\"order_id\":\"ORD-1234\"")), ViolationCodes.MissingProperty);
        Assert.Equal("total", v.Property);
    }

    [Fact]
    public void Null_required_property_counts_as_missing()
    {
        var v = Single(_pipeline.Process(Some.Track("order_completed", "\"sessionId\":\"s-1\",\"order_id\":\"ORD-1234\",\"total\":null")), ViolationCodes.MissingProperty);
        Assert.Equal("total", v.Property);
    }

    [Fact]
    public void Null_optional_property_is_accepted()
    {
        OutcomeAssert.Accepted(Order("\"quantity\":null"));
    }

    [Theory]
    [InlineData("order_id", "1234")]
    [InlineData("quantity", "\"3\"")]
    [InlineData("quantity", "true")]
    [InlineData("total", "\"42\"")]
    [InlineData("gift", "\"true\"")]
    [InlineData("gift", "1")]
    [InlineData("placed_at", "1716282000")]
    [InlineData("colour", "1")]
    [InlineData("tags", "\"a,b\"")]
    [InlineData("address", "\"Main St\"")]
    [InlineData("address", "[]")]
    public void Value_of_the_wrong_type_is_quarantined(string property, string json)
    {
        // order_id is required, so replace it rather than add a second one.
        var body = property == "order_id"
            ? $"\"sessionId\":\"s-1\",\"order_id\":{json},\"total\":1"
            : $"{TestPlans.OrderProperties},\"{property}\":{json}";
        var v = Single(_pipeline.Process(Some.Track("order_completed", body)), ViolationCodes.WrongType);
        Assert.Equal(property, v.Property);
    }

    [Fact]
    public void Integer_rejects_a_fraction_but_number_accepts_an_integer()
    {
        Single(Order("\"quantity\":1.5"), ViolationCodes.WrongType);
        OutcomeAssert.Accepted(_pipeline.Process(Some.Track("order_completed", "\"sessionId\":\"s-1\",\"order_id\":\"ORD-1234\",\"total\":42")));
    }

    [Fact]
    public void Enum_value_outside_the_list_is_quarantined_with_a_suggestion()
    {
        var v = Single(Order("\"colour\":\"gren\""), ViolationCodes.EnumViolation);
        Assert.Contains("did you mean 'green'", v.Message);
    }

    [Fact]
    public void Enum_value_written_with_json_escapes_is_the_value_it_spells()
    {
        // Compared without decoding: "gr\u0065en" is "green", and "gr\u0065n" is still not a colour.
        OutcomeAssert.Accepted(Order("\"colour\":\"gr\\u0065en\""));
        var v = Single(Order("\"colour\":\"gr\\u0065n\""), ViolationCodes.EnumViolation);
        Assert.Contains("did you mean 'green'", v.Message);
    }

    [Fact]
    public void Pattern_violation_never_quotes_the_value()
    {
        const string secret = "ada@x.io"; // short enough to pass max_length, so the pattern is the only violation
        var v = Single(_pipeline.Process(Some.Track("order_completed", $"\"sessionId\":\"s-1\",\"order_id\":\"{secret}\",\"total\":1")),
            ViolationCodes.PatternViolation);
        Assert.Equal("order_id", v.Property);
        Assert.DoesNotContain(secret, v.Message);
        Assert.DoesNotContain("ada", v.ToString());
    }

    [Fact]
    public void A_pattern_that_takes_too_long_is_a_violation_not_a_crash()
    {
        // A catastrophic-backtracking pattern must not take the whole request down with a timeout exception.
        var pipeline = Some.Pipeline("""
            plan: p
            version: '1'
            events:
              e:
                required: [code]
                properties:
                  code: {type: string, pattern: '^(a+)+$'}
            """);
        var outcome = pipeline.Process(Some.Track("e", $"\"code\":\"{new string('a', 40_000)}!\""));
        var v = Single(outcome, ViolationCodes.PatternViolation);
        Assert.Equal("code", v.Property);
    }

    [Theory]
    [InlineData("\"total\":1,\"quantity\":0")]
    [InlineData("\"total\":1,\"quantity\":11")]
    [InlineData("\"total\":-0.01")]
    public void Values_outside_min_and_max_are_quarantined(string fields)
    {
        Single(_pipeline.Process(Some.Track("order_completed", "\"sessionId\":\"s-1\",\"order_id\":\"ORD-1234\"," + fields)), ViolationCodes.RangeViolation);
    }

    [Fact]
    public void Bounds_are_inclusive()
    {
        OutcomeAssert.Accepted(Order("\"quantity\":1"));
        OutcomeAssert.Accepted(Order("\"quantity\":10"));
        OutcomeAssert.Accepted(_pipeline.Process(Some.Track("order_completed", "\"sessionId\":\"s-1\",\"order_id\":\"ORD-1234\",\"total\":0")));
    }

    [Fact]
    public void String_longer_than_max_length_is_quarantined()
    {
        var q = OutcomeAssert.Quarantined(_pipeline.Process(Some.Track("order_completed", "\"sessionId\":\"s-1\",\"order_id\":\"ORD-12345\",\"total\":1")));
        // ORD-12345 is 9 characters (max 8) and does not match ^ORD-[0-9]{4}$ either.
        Assert.Equal([ViolationCodes.PatternViolation, ViolationCodes.TooLong], q.Reasons.Select(r => r.Code).Order());
    }

    [Fact]
    public void Array_items_are_checked_against_the_item_type()
    {
        var v = Single(Order("\"tags\":[\"a\",2,\"c\"]"), ViolationCodes.WrongType);
        Assert.Equal("tags[1]", v.Property);
    }

    [Fact]
    public void Nested_object_fields_are_typed_and_required_fields_enforced()
    {
        var wrongType = Single(Order("\"address\":{\"city\":7}"), ViolationCodes.WrongType);
        Assert.Equal("address.city", wrongType.Property);

        var missing = Single(Order("\"address\":{\"street\":\"Main St 1\"}"), ViolationCodes.MissingProperty);
        Assert.Equal("address.city", missing.Property);

        OutcomeAssert.Accepted(Order("\"address\":{\"city\":\"Paris\",\"street\":\"Rue 1\"}"));
    }

    [Theory]
    [InlineData("2024-05-21T09:00:00Z")]
    [InlineData("2024-05-21T09:00:00.123+02:00")]
    [InlineData("2024-05-21")]
    public void Timestamp_property_accepts_ISO_8601(string text)
    {
        OutcomeAssert.Accepted(Order($"\"placed_at\":\"{text}\""));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("05/21/2024")]
    [InlineData("21.05.2024 09:00")]
    [InlineData("Tuesday, May 21, 2024")]
    public void Timestamp_property_that_is_not_ISO_8601_is_quarantined(string text)
    {
        var v = Single(Order($"\"placed_at\":\"{text}\""), ViolationCodes.WrongType);
        Assert.Equal("placed_at", v.Property);
    }

    [Fact]
    public void Every_violation_is_collected_at_once()
    {
        var outcome = _pipeline.Process(Some.Track("order_completed",
            "\"sessionId\":\"s-1\",\"order_id\":\"nope\",\"quantity\":\"many\",\"colour\":\"pink\",\"tags\":[1]"));

        Assert.Equal(
            [ViolationCodes.EnumViolation, ViolationCodes.MissingProperty, ViolationCodes.PatternViolation, ViolationCodes.WrongType, ViolationCodes.WrongType],
            OutcomeAssert.Codes(outcome));
    }

    [Fact]
    public void Validator_reports_undeclared_properties_to_the_caller_without_a_violation()
    {
        var plan = TestPlans.Shop;
        var mapped = EnvelopeMapper.Map(Some.Json(Some.Track("page_viewed", "\"sessionId\":\"s\",\"utm\":\"x\"")), plan);
        var violations = new List<Violation>();
        var undeclared = new List<string>();

        new PlanValidator(plan).Validate(mapped, plan.FindEvent("page_viewed")!, violations, undeclared);

        Assert.Empty(violations);
        Assert.Equal(["utm"], undeclared);
    }
}
