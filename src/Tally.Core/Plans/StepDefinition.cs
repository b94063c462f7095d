namespace Tally.Core.Plans;

/// <summary>A step of a funnel or journey.</summary>
/// <param name="Optional">A journey step that may be skipped (seed 000's "(optional)" and "(if escalation)").</param>
/// <param name="Condition">Free text describing when an optional step happens, for readers.</param>
public sealed record StepDefinition(EventFilter Filter, bool Optional = false, string? Condition = null)
{
    public string Event => Filter.Event;
    public SourceLocation Location => Filter.Location;
}
