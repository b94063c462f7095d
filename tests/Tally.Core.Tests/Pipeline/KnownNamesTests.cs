using Tally.Core.Pipeline;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

/// <summary>
/// Names the plan holds are reused from the plan rather than decoded per event; the mapping must not change for it,
/// whether a name is written plainly, with JSON escapes, or is unknown to the plan.
/// </summary>
public class KnownNamesTests
{
    [Fact]
    public void Plan_names_come_back_as_the_plans_own_strings()
    {
        var payload = Some.Json("""
            {"type":"track","event":"order_completed","messageId":"m-1","anonymousId":"a-1",
             "properties":{"sessionId":"s-1","order_id":"ORD-1","total":3}}
            """);

        var plan = TestPlans.Shop;
        var m = EnvelopeMapper.Map(payload, plan);

        Assert.Same(plan.Events.Single(e => e.Name == "order_completed").Name, m.Name);
        Assert.Same(plan.Properties.Concat(plan.Events.SelectMany(e => e.Properties)).First(p => p.Name == "order_id").Name,
            m.Properties.Keys.Single(k => k == "order_id"));
    }

    [Fact]
    public void Escaped_and_unknown_names_map_as_plain_ones_do()
    {
        var plain = EnvelopeMapper.Map(Some.Json("""
            {"type":"track","event":"order_completed","messageId":"m-1","properties":{"sessionId":"s-1","order_id":"ORD-1","colour":"red","zzz_unknown":"x"}}
            """), TestPlans.Shop);
        var escaped = EnvelopeMapper.Map(Some.Json("""
            {"type":"tr\u0061ck","event":"order_\u0063ompleted","messageId":"m-1","properties":{"sessionId":"s-1","\u006frder_id":"ORD-1","colour":"red","zzz_unknown":"x"}}
            """), TestPlans.Shop);

        Assert.Equal(plain.Name, escaped.Name);
        Assert.Equal(plain.Type, escaped.Type);
        Assert.Equal(plain.Properties.Keys.Order(), escaped.Properties.Keys.Order());
        Assert.Equal("red", escaped.Properties["colour"].GetString());
    }

    [Fact]
    public void A_recurring_source_is_decoded_once_and_reads_as_written()
    {
        string? Source(string library) => EnvelopeMapper.Map(Some.Json(
            """{"type":"track","event":"order_completed","messageId":"m-1","context":{"library":{"name":"""
            + library + """}},"properties":{"sessionId":"s-1"}}"""), TestPlans.Shop).Source;

        var first = Source("\"analytics-node\"");
        Assert.Equal("analytics-node", first);
        Assert.Same(first, Source("\"analytics-node\""));
        // More distinct values than the per-thread cache holds: each still reads as written.
        foreach (var name in Enumerable.Range(0, 9).Select(i => $"lib-{i}"))
            Assert.Equal(name, Source($"\"{name}\""));
        Assert.Equal("analytics-node", Source("\"analytics-node\""));
        Assert.Equal("analytics-node", Source("\"\\u0061nalytics-node\""));
        Assert.Equal("42", Source("42"));
        Assert.Null(Source("\"\""));
        Assert.Null(Source("null"));
    }
}
