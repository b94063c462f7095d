namespace Tally.Core.Plans;

public enum NamingStyle
{
    /// <summary>No rule.</summary>
    Any,
    /// <summary><c>object_action[_outcome]</c> in lower snake_case (seed 000, 002).</summary>
    SnakeCase,
    /// <summary><c>category.action</c>, lower snake_case on each side of one dot (seed 001).</summary>
    DotCase,
}

/// <summary>Event-name rules. A name may end in a version suffix such as <c>_v2</c>.</summary>
public sealed record NamingRules
{
    public NamingStyle Style { get; init; } = NamingStyle.Any;
    /// <summary>Extra regular expression every event name must match.</summary>
    public string? Pattern { get; init; }
    /// <summary>Allowed name prefixes (seed 002's persona domains); empty means any.</summary>
    public IReadOnlyList<string> Prefixes { get; init; } = [];
    /// <summary>When true, a name must start with one of <see cref="Prefixes"/>; when false, prefixes are only recognised.</summary>
    public bool PrefixRequired { get; init; }
    /// <summary>Minimum number of snake_case words in a name, e.g. 2 for object_action.</summary>
    public int MinWords { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
