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
    // Each event's declared names (required and optional) with their definitions, null where none is defined: one
    // lookup per property instead of two list scans for "declared?" and a third lookup for the definition.
    private readonly Dictionary<EventDefinition, Dictionary<string, PropertyDefinition?>> _declared = new(ReferenceEqualityComparer.Instance);

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

        foreach (var evt in plan.Events)
        {
            var declared = new Dictionary<string, PropertyDefinition?>(StringComparer.Ordinal);
            foreach (var name in evt.AllPropertyNames) declared.TryAdd(name, Resolve(evt, name));
            _declared.TryAdd(evt, declared);
        }
    }

    public static PropertyIndex Of(TrackingPlan plan) => Indexes.GetValue(plan, static p => new PropertyIndex(p));

    /// <summary>As <see cref="TrackingPlan.ResolveProperty"/>; the collector's validator and privacy step hold the index itself.</summary>
    public PropertyDefinition? Resolve(EventDefinition evt, string name) =>
        name.IndexOf('.') < 0 && _byEvent.TryGetValue(evt, out var names) ? names.GetValueOrDefault(name) : _plan.ResolveProperty(evt, name);

    /// <summary>
    /// Whether <paramref name="evt"/> declares <paramref name="name"/> (<see cref="EventDefinition.Declares"/>) and, if it
    /// does, its definition as <see cref="Resolve"/> finds it (null when declared but defined nowhere).
    /// </summary>
    public bool TryDeclared(EventDefinition evt, string name, out PropertyDefinition? definition)
    {
        if (_declared.TryGetValue(evt, out var declared)) return declared.TryGetValue(name, out definition);
        // Not one of the plan's own instances (quarantine's stand-in for an unknown event): search.
        var isDeclared = evt.Declares(name);
        definition = isDeclared ? Resolve(evt, name) : null;
        return isDeclared;
    }

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
