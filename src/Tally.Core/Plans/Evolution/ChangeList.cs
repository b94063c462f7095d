namespace Tally.Core.Plans.Evolution;

/// <summary>Collects changes while the plans are walked; every message starts with its subject so a line reads alone.</summary>
internal sealed class ChangeList
{
    private readonly List<PlanChange> _changes = [];

    public IReadOnlyList<PlanChange> Changes => _changes;

    public void Additive(string code, string subject, string detail, SourceLocation at) =>
        _changes.Add(new PlanChange(ChangeKind.Additive, code, subject, $"{subject}: {detail}", at));

    public void Neutral(string code, string subject, string detail, SourceLocation at) =>
        _changes.Add(new PlanChange(ChangeKind.Neutral, code, subject, $"{subject}: {detail}", at));

    /// <param name="hint">How to do this without breaking anyone, from <see cref="Versioning.Hint"/>.</param>
    public void Breaking(string code, string subject, string detail, SourceLocation at, string hint) =>
        _changes.Add(new PlanChange(ChangeKind.Breaking, code, subject, $"{subject}: {detail}{hint}", at));
}
