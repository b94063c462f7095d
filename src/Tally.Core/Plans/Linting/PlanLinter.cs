namespace Tally.Core.Plans.Linting;

/// <summary>
/// Runs every lint rule over a loaded plan. The loader already reported what it could not read; the linter reports
/// what reads fine but is wrong: dangling references, unprotected personal data, missing retention, and the like.
/// </summary>
public sealed class PlanLinter
{
    /// <summary>Every rule, in the order their findings are documented. Adding a rule means adding it here.</summary>
    public static IReadOnlyList<ILintRule> DefaultRules { get; } =
    [
        new UnknownEventRule(),
        new UnknownPropertyRule(),
        new PropertyNotOnEventRule(),
        new DuplicateNameRule(),
        new NamingRule(),
        new PiiUnprotectedRule(),
        new SamplingRangeRule(),
        new SamplingBelowMinimumRule(),
        new NoRetentionRule(),
        new UnknownCategoryRule(),
        new ArchiveAfterRetentionRule(),
        new FilterTypeRule(),
        new KpiShapeRule(),
        new FunnelShapeRule(),
        new EnvelopeRule(),
    ];

    public static PlanLinter Default { get; } = new(DefaultRules);

    private readonly IReadOnlyList<ILintRule> _rules;

    public PlanLinter(IEnumerable<ILintRule> rules) => _rules = rules.ToList();

    public IReadOnlyList<ILintRule> Rules => _rules;

    /// <summary>All findings, ordered by where they were written so the output reads top to bottom like the file.</summary>
    public IReadOnlyList<Diagnostic> Lint(TrackingPlan plan) =>
        _rules.SelectMany(r => r.Check(plan))
            .OrderBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
}
