using Tally.Core.Plans;

namespace Tally.Core.Tests.Support;

/// <summary>Small inline plans. Each test that needs something particular writes its own; these are the common shapes.</summary>
public static class TestPlans
{
    public static TrackingPlan Parse(string yaml) => PlanLoader.Parse(yaml, "test-plan.yaml").GetPlanOrThrow();

    /// <summary>A Segment plan with one event per property type, a hashed email and an opt-out event.</summary>
    public const string ShopYaml = """
        plan: shop
        version: '1'
        environments: [production, staging, development]
        envelope:
          format: segment
          session_id: properties.sessionId
        identity:
          session: sessionId
          opt_out_property: tracking_opt_out
          opt_out_event: tracking_opted_out
        properties:
          sessionId: string
          tracking_opt_out: boolean
          email: {type: string, pii: hash}
          comment: {type: string, pii: length}
          birthday: {type: timestamp, pii: day}
          client_ip: {type: string, pii: ip}
          card_last4: {type: string, pii: drop}
          stack_trace: {type: string, only_in: [development]}
          order_id: {type: string, pattern: '^ORD-[0-9]{4}$', max_length: 8}
          quantity: {type: integer, min: 1, max: 10}
          total: {type: number, min: 0}
          gift: boolean
          placed_at: timestamp
          colour: {type: enum, values: [red, green, blue]}
          tags: {type: array, items: string}
          address:
            type: object
            required: [city]
            properties:
              city: string
              street: {type: string, pii: hash}
        events:
          order_completed:
            required: [sessionId, order_id, total]
            optional: [email, comment, birthday, client_ip, card_last4, stack_trace, quantity, gift, placed_at, colour, tags, address, tracking_opt_out]
          page_viewed:
            optional: [sessionId, tracking_opt_out]
          password_changed:
            essential: true
            optional: [sessionId]
          tracking_opted_out:
            required: [tracking_opt_out]
            optional: [sessionId]
        """;

    public static TrackingPlan Shop => Parse(ShopYaml);

    /// <summary>A valid <c>order_completed</c> properties body, to which tests add or replace fields.</summary>
    public const string OrderProperties = "\"sessionId\":\"s-1\",\"order_id\":\"ORD-1234\",\"total\":42.5";
}
