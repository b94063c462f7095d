namespace Tally.Core.Plans;

/// <summary>A typed property with its format constraints and privacy policy.</summary>
public sealed record PropertyDefinition
{
    public required string Name { get; init; }
    public required PropertyType Type { get; init; }
    public string? Description { get; init; }
    /// <summary>Allowed values when <see cref="Type"/> is <see cref="PropertyType.Enum"/>.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];
    /// <summary>Element definition when <see cref="Type"/> is <see cref="PropertyType.Array"/>.</summary>
    public PropertyDefinition? Items { get; init; }
    /// <summary>Nested fields when <see cref="Type"/> is <see cref="PropertyType.Object"/> (seed 003's <c>decision.*</c>).</summary>
    public IReadOnlyList<PropertyDefinition> Properties { get; init; } = [];
    /// <summary>Nested fields that must be present in an object.</summary>
    public IReadOnlyList<string> RequiredProperties { get; init; } = [];
    /// <summary>An object with no declared fields accepts any fields (seed 001's <c>context: object</c>).</summary>
    public bool OpenObject => Type == PropertyType.Object && Properties.Count == 0;
    public string? Pattern { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public int? MaxLength { get; init; }
    public PrivacyPolicy Privacy { get; init; } = PrivacyPolicy.Allow;
    /// <summary>False for fields that must never leave in an export (seed 003).</summary>
    public bool Export { get; init; } = true;
    /// <summary>If set, the property is kept only in these environments and dropped elsewhere (seed 001's <c>stack_trace</c>).</summary>
    public IReadOnlyList<string> OnlyIn { get; init; } = [];
    /// <summary>Marks a value that is already a hash made by the client; the linter then accepts it as non-raw PII.</summary>
    public bool Prehashed { get; init; }
    /// <summary>The emitter guarantees the value holds no personal data (seed 001's "error description (sanitized)"); the linter trusts it.</summary>
    public bool Sanitized { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;

    public PropertyDefinition? FindNested(string name)
    {
        foreach (var p in Properties) if (p.Name == name) return p;
        return null;
    }
}
