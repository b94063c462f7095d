namespace Tally.Core.Plans.Evolution;

/// <summary>Whose property is being compared: one event's, or a shared definition used by several events.</summary>
/// <param name="Event">The event, or null for a plan-level (shared) property.</param>
/// <param name="UsedBy">For a shared property, the events of the new plan that use it.</param>
internal sealed record PropertyScope(string? Event, IReadOnlyList<string> UsedBy)
{
    public static PropertyScope OfEvent(string name) => new(name, []);

    public string Subject(string path) => Event is null ? $"shared property {path}" : $"property {path} of {Event}";

    public string Hint => Versioning.Hint(Event, UsedBy);
}
