namespace Tally.Core.Plans;

/// <summary>Where a plan element was written, so every finding can point at file:line:column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public static readonly SourceLocation None = new("", 0, 0);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
