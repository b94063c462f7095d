namespace Tally.Core.Governance;

/// <summary>
/// Every cutoff of one retention run at <see cref="Now"/>: per declared event (plan order), and for roll-up rows the
/// first UTC day that is kept (<see cref="RollupsBefore"/>; null keeps roll-ups forever).
/// </summary>
public sealed record RetentionSchedule(DateTimeOffset Now, IReadOnlyList<EventRetention> Events, DateOnly? RollupsBefore)
{
    public EventRetention? Find(string name)
    {
        foreach (var e in Events) if (e.Name == name) return e;
        return null;
    }
}
