using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>
/// How a traffic profile says a property's value is drawn. The plan's property type decides how a value is written
/// (a constant <c>42</c> is a number for an integer property, a string for a string property).
/// </summary>
public abstract record ValueSpec
{
    /// <summary>Chance the property is sent at all (<c>p:</c>); 1 means always.</summary>
    public double Presence { get; init; } = 1;

    public SourceLocation Location { get; init; } = SourceLocation.None;
}

/// <summary>A fixed value, as written in the profile.</summary>
public sealed record ConstantSpec(string Text) : ValueSpec;

/// <summary><c>$name</c>: the value a flow variable drew for this flow (the same on every step).</summary>
public sealed record VarSpec(string Name) : ValueSpec;

/// <summary><c>one_of: [a, b]</c> (equal shares) or <c>one_of: {a: 3, b: 1}</c> (weights).</summary>
public sealed record OneOfSpec(IReadOnlyList<Weighted<string>> Choices) : ValueSpec;

/// <summary><c>range: [min, max]</c>: uniform; whole numbers for integer properties, else <see cref="Decimals"/> places.</summary>
public sealed record RangeSpec(double Min, double Max, int Decimals = 2) : ValueSpec;

/// <summary><c>id: "AUR-{digits:5}"</c>: an identifier drawn from a pattern.</summary>
public sealed record IdSpec(IdTemplate Template) : ValueSpec;

/// <summary><c>bool: 0.8</c>: true with that chance.</summary>
public sealed record BoolSpec(double TrueShare) : ValueSpec;

/// <summary><c>array: SPEC, size: 1..6</c>: a list of values drawn one by one.</summary>
public sealed record ArraySpec(ValueSpec Item, IntRange Size) : ValueSpec;

/// <summary><c>object: {field: SPEC, …}</c>: an object whose fields are drawn one by one.</summary>
public sealed record ObjectSpec(IReadOnlyList<PropertySpec> Fields) : ValueSpec;

public enum ActorField
{
    Session,
    User,
    Anonymous,
}

/// <summary><c>actor: session|user|anonymous</c>: the flow's id of that kind (left out while the actor has none).</summary>
public sealed record ActorSpec(ActorField Field) : ValueSpec;

/// <summary><c>time: event</c> or <c>time: +2d</c>: the event's own time, or that time shifted, as ISO 8601.</summary>
public sealed record TimeSpec(TimeSpan Offset) : ValueSpec;

/// <summary><c>sha256: person</c>: hex SHA-256 of the flow person's email, as clients send a prehashed identity key.</summary>
public sealed record PersonHashSpec : ValueSpec;

/// <summary>A property (or object field) name and how its value is drawn.</summary>
public sealed record PropertySpec(string Name, ValueSpec Value);
