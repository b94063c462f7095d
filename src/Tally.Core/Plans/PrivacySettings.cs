namespace Tally.Core.Plans;

/// <summary>What to do with data the plan did not declare.</summary>
public enum UndeclaredPolicy
{
    /// <summary>Remove the undeclared field and count it (default: data minimisation).</summary>
    Drop,
    /// <summary>Send the whole event to quarantine.</summary>
    Quarantine,
    /// <summary>Keep the field, hashed.</summary>
    Hash,
}

public sealed record PrivacySettings
{
    public UndeclaredPolicy Undeclared { get; init; } = UndeclaredPolicy.Drop;
    /// <summary>Segment context fields that may be kept (e.g. <c>context.library.name</c>); all others are dropped.</summary>
    public IReadOnlyList<string> KeepContext { get; init; } = [];
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
