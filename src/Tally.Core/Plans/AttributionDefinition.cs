namespace Tally.Core.Plans;

/// <summary>
/// Last-touch attribution: each conversion is credited to the last <see cref="Touch"/> before it in the same
/// scope (session) within <see cref="Window"/>, with the touch's <see cref="CreditProperty"/> as the credited value.
/// </summary>
public sealed record AttributionDefinition
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required EventFilter Touch { get; init; }
    public required string CreditProperty { get; init; }
    public IReadOnlyList<EventFilter> Conversions { get; init; } = [];
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);
    public CountingUnit Scope { get; init; } = CountingUnit.Session;
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
