namespace Tally.Core.Plans;

/// <summary>How actors are identified, stitched and opted out.</summary>
public sealed record IdentityDefinition
{
    /// <summary>Property that carries the session id (after the envelope mapped it), e.g. <c>sessionId</c>.</summary>
    public string? Session { get; init; }
    /// <summary>Inactivity gap that ends a session when the plan has no explicit session id.</summary>
    public TimeSpan SessionWindow { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>Property whose hashed value merges identities across devices (seed 002's <c>pii_hash</c>).</summary>
    public string? MergeBy { get; init; }
    /// <summary>Boolean property that, when true on an event, marks its actor as opted out.</summary>
    public string? OptOutProperty { get; init; }
    /// <summary>Event that records an opt-out or, with the property false, an opt-in (seed 002's <c>settings_tracking_opt_out</c>).</summary>
    public string? OptOutEvent { get; init; }
    /// <summary>False for plans that must hold no identifiers at all (seed 004).</summary>
    public bool Identifiers { get; init; } = true;
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
