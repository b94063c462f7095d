using System.Runtime.CompilerServices;

namespace Tally.Core.Plans;

/// <summary>
/// Each event's property definitions by name (event-local first, then the plan's shared ones), built once per plan
/// instance: the collector resolves every property of every event, and the linear search through the plan's
/// definitions took ~2% of its CPU. Kept beside the plan, not in it, so the record's equality and <c>with</c> copies
/// are untouched: a copy is a new instance and gets its own index.
/// </summary>
internal sealed class PropertyIndex
{
    private static readonly ConditionalWeakTable<TrackingPlan, PropertyIndex> Indexes = [];

    private readonly Dictionary<EventDefinition, Dictionary<string, PropertyDefinition>> _byEvent = new(ReferenceEqualityComparer.Instance);

    private readonly TrackingPlan _plan;

    private PropertyIndex(TrackingPlan plan)
    {
        _plan = plan;
        foreach (var evt in plan.Events)
        {
            var names = new Dictionary<string, PropertyDefinition>(StringComparer.Ordinal);
            foreach (var p in evt.Properties) names.TryAdd(p.Name, p);
            foreach (var p in plan.Properties) names.TryAdd(p.Name, p);
            _byEvent.TryAdd(evt, names);
        }
    }

    public static PropertyIndex Of(TrackingPlan plan) => Indexes.GetValue(plan, static p => new PropertyIndex(p));

    /// <summary>As <see cref="TrackingPlan.ResolveProperty"/>; the collector's validator and privacy step hold the index itself.</summary>
    public PropertyDefinition? Resolve(EventDefinition evt, string name) =>
        name.IndexOf('.') < 0 && _byEvent.TryGetValue(evt, out var names) ? names.GetValueOrDefault(name) : _plan.ResolveProperty(evt, name);

    /// <summary>False for an event that is not one of the plan's own instances (the caller then searches).</summary>
    public bool TryResolve(EventDefinition evt, string name, out PropertyDefinition? definition)
    {
        if (!_byEvent.TryGetValue(evt, out var names))
        {
            definition = null;
            return false;
        }

        definition = names.GetValueOrDefault(name);
        return true;
    }
}
