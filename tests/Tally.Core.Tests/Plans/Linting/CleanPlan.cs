namespace Tally.Core.Tests.Plans.Linting;

/// <summary>
/// A realistic plan (seed 000's concierge widget, with a nested object and every KPI kind added) that uses each
/// feature the linter checks, correctly. It must lint with no findings at all: every rule's quiet case in one place.
/// </summary>
internal static class CleanPlan
{
    public const string Yaml = """
        plan: aurora-concierge
        version: '1.0.0'
        environments: [staging, production]
        envelope:
          format: segment
          session_id: properties.sessionId
        identity:
          session: sessionId
          opt_out_property: trackingOptOut
          opt_out_event: aurora_tracking_opted_out
        defaults:
          retention: 180d
          sampling: 100%
        naming:
          style: snake_case
          prefixes: [aurora_]
          prefix_required: true
          min_words: 2
        categories:
          support:
            retention: 2y
            archive_after: 1y
        properties:
          sessionId: string
          requestId: string
          intent:
            type: enum
            values: [find_product, track_order, return_exchange]
          source: {type: enum, values: [launcher, inline, email_link]}
          productIds: {type: array, items: string}
          productId: string
          rating: {type: integer, min: 1, max: 5}
          commentLength: integer
          durationMs: {type: number, min: 0}
          orderNumberHash: {type: string, prehashed: true}
          contactEmail: {type: string, pii: hash}
          clientIp: {type: string, pii: ip}
          channel: {type: enum, values: [sms, email]}
          trackingOptOut: boolean
          workflow_name: string
          decision:
            type: object
            properties:
              action: {type: enum, values: [answer, escalate]}
              confidence: number
          context: object
        events:
          aurora_widget_open:
            required: [sessionId, requestId, source]
            optional: [clientIp, context]
          aurora_intent_detected:
            required: [sessionId, requestId, intent]
            optional: [source, decision]
          aurora_intent_complete:
            required: [sessionId, requestId, intent]
            optional: [durationMs]
          aurora_products_shown:
            required: [sessionId, requestId, intent, productIds]
            sampling: 0.5
            min_sampling: 50%
          aurora_product_shortlisted:
            required: [sessionId, requestId, productId]
          aurora_order_tracked:
            required: [sessionId, requestId, intent]
            optional: [orderNumberHash]
          aurora_stylist_ticket_created:
            category: support
            required: [sessionId, requestId]
            optional: [contactEmail, workflow_name]
          aurora_csat_submitted:
            category: support
            required: [sessionId, requestId, rating]
            optional: [intent, commentLength]
          aurora_order_updates_subscribed:
            required: [sessionId, requestId, channel]
          aurora_tracking_opted_out:
            essential: true
            required: [sessionId, trackingOptOut]
          aurora_daily_widget_loads:
            aggregate_only: true
            required: [source]
        journeys:
          track_my_order:
            steps:
              - aurora_widget_open
              - aurora_intent_detected(intent=track_order)
              - aurora_order_tracked
              - {event: aurora_order_updates_subscribed, optional: true}
              - aurora_csat_submitted
        funnels:
          product_engagement:
            steps: [aurora_widget_open, aurora_products_shown, aurora_product_shortlisted]
            breakdown_by: source
          support_resolution:
            unit: session
            steps:
              - aurora_intent_detected(intent=track_order, decision.action=escalate)
              - aurora_order_tracked
              - aurora_stylist_ticket_created
              - {event: aurora_csat_submitted, where: {rating: 5}}
            exclude:
              - {event: aurora_widget_open, after_step: 1, before_step: 3}
        kpis:
          shortlist_conversion:
            kind: ratio
            numerator: aurora_product_shortlisted
            denominator: aurora_products_shown
          resolution_rate_by_intent:
            kind: rate_by
            numerator: aurora_order_tracked
            denominator: aurora_intent_detected(intent=track_order)
            group_by: [intent]
          ticket_load:
            kind: count_per_day
            event: aurora_stylist_ticket_created
          weekly_active_sessions:
            kind: distinct_actors
            event: '*'
            unit: session
            period: week
          order_follow_up:
            kind: conversion_within
            start: aurora_order_tracked
            end: aurora_order_updates_subscribed
            within: 1d
          rating_change:
            kind: average_change
            event: aurora_csat_submitted
            property: rating
            unit: user
          median_intent_time:
            kind: median
            event: aurora_intent_complete
            property: durationMs
        attribution:
          last_intent:
            touch: aurora_intent_detected
            credit: intent
            conversions: [aurora_product_shortlisted, aurora_order_tracked]
            window: 30m
        """;
}
