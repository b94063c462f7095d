using Tally.Core.Plans;

namespace Tally.Core.Governance;

/// <summary>
/// Turns the plan's retention promises into cutoffs at one instant. Each event's retention and archive period come
/// from the event, else its category, else the plan's defaults (<see cref="TrackingPlan.RetentionOf"/>); none declared
/// or <c>forever</c> means kept forever. Aggregate-only events have no raw rows, so they are left out.
/// </summary>
public static class RetentionPlanner
{
    public static RetentionSchedule Plan(TrackingPlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var events = new List<EventRetention>();
        foreach (var e in plan.Events)
        {
            if (e.AggregateOnly) continue;
            var retention = plan.RetentionOf(e);
            var archiveAfter = plan.ArchiveAfterOf(e);
            var deleteBefore = Cutoff(now, retention);
            var archiveBefore = Cutoff(now, archiveAfter);
            // Archive first when both apply: a row is never deleted without having been archived, even when a plan
            // declares an archive period longer than the retention.
            if (archiveBefore is { } a && deleteBefore is { } d && d > a) archiveBefore = d;
            events.Add(new EventRetention(e.Name, retention, archiveAfter, archiveBefore, deleteBefore));
        }

        var rollupCutoff = Cutoff(now, plan.Defaults.AggregateRetention);
        // A day's row goes only when the whole day is past the cutoff.
        DateOnly? rollupsBefore = rollupCutoff is { } c ? DateOnly.FromDateTime(c.UtcDateTime) : null;
        return new RetentionSchedule(now, events, rollupsBefore);
    }

    /// <summary>The instant before which rows are older than <paramref name="age"/>; null for none or forever.</summary>
    public static DateTimeOffset? Cutoff(DateTimeOffset now, TimeSpan? age)
    {
        if (age is not { } a || a == PlanDuration.Forever) return null;
        if (a < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(age), "a retention period cannot be negative");
        // Longer than the calendar reaches back: nothing can be that old.
        return a > now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now.ToUniversalTime() - a;
    }
}
