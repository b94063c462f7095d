namespace Tally.Core.Plans.Linting;

/// <summary>One check over a whole plan. A rule reports only its own <see cref="Code"/>, so findings can be filtered and documented by code.</summary>
public interface ILintRule
{
    /// <summary>Stable id, e.g. <c>unknown-event</c>; it appears in every finding the rule makes.</summary>
    string Code { get; }

    IEnumerable<Diagnostic> Check(TrackingPlan plan);
}
