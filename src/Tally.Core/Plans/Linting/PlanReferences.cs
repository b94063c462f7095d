namespace Tally.Core.Plans.Linting;

/// <summary>A place where the plan names an event.</summary>
/// <param name="UsedBy">Who uses it, for messages: <c>step 2 of funnel 'support'</c>.</param>
/// <param name="AnyAllowed">Whether <see cref="EventFilter.AnyEvent"/> makes sense here (a KPI over every event, such as WAU).</param>
internal sealed record EventUse(EventFilter Filter, string UsedBy, bool AnyAllowed);

/// <summary>Which events a property reference must hold on.</summary>
internal enum PropertyScope
{
    /// <summary>Every event in the list must have it (a filter's <c>where</c>, a KPI's property, an attribution's credit).</summary>
    EachEvent,
    /// <summary>At least one event in the list must have it (a funnel's breakdown over its steps).</summary>
    AnyEvent,
    /// <summary>An event's own required/optional list: it must be defined, and declaring it is the point.</summary>
    OwnEvent,
    /// <summary>Not tied to one event (identity settings, filters on <c>*</c>): any definition in the plan will do.</summary>
    Plan,
}

/// <summary>A place where the plan names a property (dotted for a field of an object).</summary>
internal sealed record PropertyUse(string Name, string UsedBy, SourceLocation At, PropertyScope Scope, IReadOnlyList<EventDefinition> Events);

/// <summary>Every reference from one part of a plan to another, gathered once so each rule walks the same list.</summary>
internal static class PlanReferences
{
    public static IEnumerable<EventUse> Events(TrackingPlan plan)
    {
        foreach (var f in plan.Funnels)
        {
            for (var i = 0; i < f.Steps.Count; i++) yield return new(f.Steps[i].Filter, $"step {i + 1} of funnel '{f.Name}'", false);
            foreach (var x in f.Exclusions) yield return new(x.Filter, $"an exclusion of funnel '{f.Name}'", false);
        }
        foreach (var j in plan.Journeys)
            for (var i = 0; i < j.Steps.Count; i++) yield return new(j.Steps[i].Filter, $"step {i + 1} of journey '{j.Name}'", false);
        foreach (var k in plan.Kpis)
        {
            foreach (var (field, filter) in KpiFilters(k))
                yield return new(filter, $"'{field}' of KPI '{k.Name}'", field is "numerator" or "denominator" or "event");
        }
        foreach (var a in plan.Attributions)
        {
            yield return new(a.Touch, $"the touch of attribution '{a.Name}'", false);
            foreach (var c in a.Conversions) yield return new(c, $"a conversion of attribution '{a.Name}'", false);
        }
        if (plan.Identity.OptOutEvent is { } optOut)
            yield return new(new EventFilter(optOut, new Dictionary<string, string>(), plan.Identity.Location), "identity 'opt_out_event'", false);
    }

    public static IEnumerable<(string Field, EventFilter Filter)> KpiFilters(KpiDefinition k)
    {
        if (k.Numerator is { } n) yield return ("numerator", n);
        if (k.Denominator is { } d) yield return ("denominator", d);
        if (k.Event is { } e) yield return ("event", e);
        if (k.Start is { } s) yield return ("start", s);
        if (k.End is { } en) yield return ("end", en);
    }

    public static IEnumerable<PropertyUse> Properties(TrackingPlan plan)
    {
        foreach (var use in Events(plan))
        {
            if (use.Filter.Where.Count == 0) continue;
            var (scope, events) = Target(plan, use.Filter);
            if (scope is null) continue;
            foreach (var key in use.Filter.Where.Keys) yield return new(key, use.UsedBy, use.Filter.Location, scope.Value, events);
        }
        foreach (var k in plan.Kpis)
        {
            // Properties and groups are read from the KPI's main event. A ratio's denominator may lack a group key:
            // seed 004's error rate groups errors by status code over all requests to the endpoint.
            var main = MainFilter(k);
            var (scope, events) = main is null ? (PropertyScope.Plan, []) : Target(plan, main);
            if (scope is null) continue;
            if (k.Property is { Length: > 0 } p) yield return new(p, $"'property' of KPI '{k.Name}'", k.Location, scope.Value, events);
            foreach (var g in k.GroupBy) yield return new(g, $"'group_by' of KPI '{k.Name}'", k.Location, scope.Value, events);
        }
        foreach (var f in plan.Funnels)
        {
            if (f.BreakdownBy is not { Length: > 0 } b) continue;
            var steps = f.Steps.Select(s => plan.FindEvent(s.Event)).OfType<EventDefinition>().Distinct().ToList();
            if (steps.Count > 0) yield return new(b, $"'breakdown_by' of funnel '{f.Name}'", f.Location, PropertyScope.AnyEvent, steps);
        }
        foreach (var a in plan.Attributions)
        {
            if (a.CreditProperty.Length == 0) continue;
            var (scope, events) = Target(plan, a.Touch);
            if (scope is not null) yield return new(a.CreditProperty, $"'credit' of attribution '{a.Name}'", a.Location, scope.Value, events);
        }
        var id = plan.Identity;
        if (id.Session is { Length: > 0 } session) yield return new(session, "identity 'session'", id.Location, PropertyScope.Plan, []);
        if (id.MergeBy is { Length: > 0 } merge) yield return new(merge, "identity 'merge_by'", id.Location, PropertyScope.Plan, []);
        if (id.OptOutProperty is { Length: > 0 } opt) yield return new(opt, "identity 'opt_out_property'", id.Location, PropertyScope.Plan, []);
        foreach (var e in plan.Events)
            foreach (var name in e.AllPropertyNames.Distinct())
                yield return new(name, $"event '{e.Name}'", e.Location, PropertyScope.OwnEvent, [e]);
    }

    /// <summary>The filter whose event a KPI's property and group_by refer to: the numerator of a ratio, the start of a conversion, else the event.</summary>
    public static EventFilter? MainFilter(KpiDefinition k) => k.Kind switch
    {
        KpiKind.Ratio or KpiKind.RateBy => k.Numerator,
        KpiKind.ConversionWithin => k.Start,
        _ => k.Event,
    } ?? KpiFilters(k).Select(f => f.Filter).FirstOrDefault();

    /// <summary>The events a filter's conditions apply to; no scope when the event itself is unknown (unknown-event says so).</summary>
    private static (PropertyScope? Scope, IReadOnlyList<EventDefinition> Events) Target(TrackingPlan plan, EventFilter filter)
    {
        if (filter.Event == EventFilter.AnyEvent) return (PropertyScope.Plan, []);
        return plan.FindEvent(filter.Event) is { } evt ? (PropertyScope.EachEvent, [evt]) : (null, []);
    }
}
