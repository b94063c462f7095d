namespace Tally.Core.Demo;

/// <summary>A share of events to spoil on purpose (invalid or carrying personal data) and the kinds of spoiling, by weight.</summary>
public sealed record FaultMix(double Share, IReadOnlyList<Weighted<string>> Kinds);

/// <summary>The kinds of invalid event a profile may ask for; each is named after the violation code it causes.</summary>
public static class InvalidKinds
{
    public const string MissingProperty = "missing_property";
    public const string EnumViolation = "enum_violation";
    public const string UnknownEvent = "unknown_event";
    public const string WrongType = "wrong_type";

    public static readonly string[] All = [MissingProperty, EnumViolation, UnknownEvent, WrongType];
}

/// <summary>The kinds of personal data a profile may plant.</summary>
public static class PiiKinds
{
    /// <summary>A raw email or phone number under a property the plan does not declare.</summary>
    public const string Undeclared = "undeclared";
    /// <summary>Segment's <c>context.ip</c> and <c>context.userAgent</c>.</summary>
    public const string Context = "context";
    /// <summary>A raw value in a declared property whose policy hashes, shortens or drops it.</summary>
    public const string Declared = "declared";

    public static readonly string[] All = [Undeclared, Context, Declared];
}
