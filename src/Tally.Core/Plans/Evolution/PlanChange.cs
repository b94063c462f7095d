namespace Tally.Core.Plans.Evolution;

/// <summary>One difference between an old and a new plan, classified.</summary>
/// <param name="Code">Stable id such as <c>property-removed</c>; tests and <c>--format json</c> key on it.</param>
/// <param name="Subject">What changed, e.g. <c>event user.login</c> or <c>property intent of aurora_intent_detected</c>.</param>
/// <param name="Message">A sentence that stands on its own, starting with the subject.</param>
/// <param name="Location">Where to look: in the new plan, or in the old plan for something that was removed.</param>
public sealed record PlanChange(ChangeKind Kind, string Code, string Subject, string Message, SourceLocation Location)
{
    /// <summary>The label the CLI prints: <c>breaking</c>, <c>additive</c> or <c>note</c>.</summary>
    public string Label => Kind switch
    {
        ChangeKind.Breaking => "breaking",
        ChangeKind.Additive => "additive",
        _ => "note",
    };

    /// <summary>The one-line form editors and CI understand: <c>file:line:column: breaking: message [code]</c>.</summary>
    public override string ToString() => $"{Location.File}:{Location.Line}:{Location.Column}: {Label}: {Message} [{Code}]";
}
