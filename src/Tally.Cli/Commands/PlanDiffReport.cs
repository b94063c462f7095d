namespace Tally.Cli.Commands;

/// <summary>The <c>tally plan diff --format json</c> document. Field names are part of the CLI's contract.</summary>
public sealed record PlanDiffReport(
    string Old,
    string New,
    IReadOnlyList<PlanDiffReport.Change> Changes,
    IReadOnlyList<PlanDiffReport.Error> Errors,
    PlanDiffReport.Totals Summary)
{
    /// <param name="Kind"><c>breaking</c>, <c>additive</c> or <c>note</c>, as in the text output.</param>
    public sealed record Change(string Kind, string Code, string Subject, string Message, string File, int Line, int Column);

    /// <summary>A plan that could not be read; the diff is not computed.</summary>
    public sealed record Error(string Code, string Message, string File, int Line, int Column);

    public sealed record Totals(int Breaking, int Additive, int Notes);
}
