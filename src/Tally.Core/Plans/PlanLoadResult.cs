namespace Tally.Core.Plans;

/// <summary>A loaded plan (null when the file could not be read as a plan at all) and what was found on the way.</summary>
public sealed record PlanLoadResult(TrackingPlan? Plan, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>The plan, or an exception whose message lists every error in one-line form.</summary>
    public TrackingPlan GetPlanOrThrow()
    {
        if (Plan is not null && !HasErrors) return Plan;
        throw new PlanException(Diagnostics.Where(d => d.Severity == Severity.Error).ToList());
    }
}

/// <summary>Thrown when a plan that must be valid is not; the message is the one-line diagnostics, never a stack trace's worth.</summary>
public sealed class PlanException(IReadOnlyList<Diagnostic> diagnostics)
    : Exception(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
