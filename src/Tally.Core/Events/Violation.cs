namespace Tally.Core.Events;

/// <summary>One reason an event failed the plan. <see cref="Code"/> is stable and is what quarantine groups by.</summary>
public sealed record Violation(string Code, string Message, string? Property = null)
{
    public override string ToString() => Property is null ? $"{Code}: {Message}" : $"{Code} ({Property}): {Message}";
}

/// <summary>The stable violation codes.</summary>
public static class ViolationCodes
{
    public const string UnknownEvent = "unknown_event";
    public const string MissingEventName = "missing_event_name";
    public const string MissingProperty = "missing_property";
    public const string WrongType = "wrong_type";
    public const string EnumViolation = "enum_violation";
    public const string PatternViolation = "pattern_violation";
    public const string RangeViolation = "range_violation";
    public const string TooLong = "too_long";
    public const string UndeclaredProperty = "undeclared_property";
    public const string EventTooLarge = "event_too_large";
    public const string BadTimestamp = "bad_timestamp";
    public const string NotAnObject = "not_an_object";
    public const string WrongEnvironment = "unknown_environment";
}
