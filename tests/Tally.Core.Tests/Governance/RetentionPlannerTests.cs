using Tally.Core.Governance;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Governance;

public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);

    private const string Yaml = """
        plan: retention
        version: '1'
        defaults:
          retention: 180d
          archive_after: 90d
          aggregate_retention: 400d
        categories:
          audit: {retention: 7y, archive_after: 2y}
          ops: {retention: 30d}
          keep: {retention: forever}
        events:
          plain: {description: inherits the defaults}
          in_audit: {category: audit}
          own_period: {category: audit, retention: 8y}
          in_ops: {category: ops}
          kept: {category: keep}
          counted: {aggregate_only: true}
          archive_longer: {retention: 10d, archive_after: 20d}
        """;

    private static RetentionSchedule Schedule(string yaml = Yaml) => RetentionPlanner.Plan(TestPlans.Parse(yaml), Now);

    [Fact]
    public void An_event_without_its_own_periods_takes_the_plan_defaults()
    {
        var e = Schedule().Find("plain")!;
        Assert.Equal(Now.AddDays(-180), e.DeleteBefore);
        Assert.Equal(Now.AddDays(-90), e.ArchiveBefore);
    }

    [Fact]
    public void A_category_overrides_the_defaults_and_an_event_overrides_its_category()
    {
        var schedule = Schedule();
        Assert.Equal(Now.AddDays(-7 * 365), schedule.Find("in_audit")!.DeleteBefore);
        Assert.Equal(Now.AddDays(-2 * 365), schedule.Find("in_audit")!.ArchiveBefore);
        Assert.Equal(Now.AddDays(-8 * 365), schedule.Find("own_period")!.DeleteBefore);
        // The event sets only retention; its archive period still comes from the category.
        Assert.Equal(Now.AddDays(-2 * 365), schedule.Find("own_period")!.ArchiveBefore);
    }

    [Fact]
    public void A_category_without_an_archive_period_falls_back_to_the_default_one()
    {
        var e = Schedule().Find("in_ops")!;
        Assert.Equal(TimeSpan.FromDays(90), e.ArchiveAfter);
        Assert.Equal(Now.AddDays(-30), e.DeleteBefore);
        // 90 days is longer than the category's 30-day retention: whatever is deleted is archived first.
        Assert.Equal(Now.AddDays(-30), e.ArchiveBefore);
    }

    [Fact]
    public void Forever_keeps_raw_events_with_no_delete_cutoff()
    {
        var e = Schedule().Find("kept")!;
        Assert.Null(e.DeleteBefore);
        Assert.Equal(Now.AddDays(-90), e.ArchiveBefore);
    }

    [Fact]
    public void Events_of_a_plan_without_declared_retention_are_kept_forever()
    {
        var schedule = Schedule("""
            plan: bare
            version: '1'
            events:
              a: {description: no periods anywhere}
            """);
        var e = schedule.Find("a")!;
        Assert.True(e.KeepsForever);
        Assert.Null(e.Retention);
        // The loader's default for aggregates is forever.
        Assert.Null(schedule.RollupsBefore);
    }

    [Fact]
    public void Aggregate_only_events_have_no_raw_rows_to_schedule()
    {
        Assert.Null(Schedule().Find("counted"));
    }

    [Fact]
    public void An_archive_period_longer_than_retention_still_archives_before_deleting()
    {
        var e = Schedule().Find("archive_longer")!;
        Assert.Equal(Now.AddDays(-10), e.DeleteBefore);
        Assert.Equal(e.DeleteBefore, e.ArchiveBefore);
    }

    [Fact]
    public void Roll_ups_are_kept_until_their_whole_day_is_past_the_aggregate_retention()
    {
        // Now - 400d is 2025-10-18 10:30: the 17th is wholly past, the 18th is not.
        Assert.Equal(new DateOnly(2025, 10, 18), Schedule().RollupsBefore);
    }

    [Theory]
    [InlineData("aurora-concierge.yaml", 180, null)]
    [InlineData("minimal-telemetry.yaml", null, 180)]
    public void Seed_plans_promise_what_their_seeds_say(string file, int? rawDays, int? rollupDays)
    {
        var plan = SeedPlans.Load(file);
        var schedule = RetentionPlanner.Plan(plan, Now);
        Assert.Equal(rollupDays is { } r ? DateOnly.FromDateTime(Now.AddDays(-r).UtcDateTime) : null, schedule.RollupsBefore);
        foreach (var e in schedule.Events)
            Assert.Equal(rawDays is { } d ? Now.AddDays(-d) : null, e.DeleteBefore);
    }

    [Fact]
    public void Auterity_security_events_are_kept_seven_years_and_archived_after_two()
    {
        var schedule = RetentionPlanner.Plan(SeedPlans.Load("auterity.yaml"), Now);
        var security = schedule.Events.Where(e => e.Name.StartsWith("security.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(security);
        Assert.All(security, e =>
        {
            Assert.Equal(Now.AddDays(-7 * 365), e.DeleteBefore);
            Assert.Equal(Now.AddDays(-2 * 365), e.ArchiveBefore);
        });
    }

    [Fact]
    public void A_period_longer_than_the_calendar_deletes_nothing_rather_than_overflowing()
    {
        Assert.Equal(DateTimeOffset.MinValue, RetentionPlanner.Cutoff(Now, TimeSpan.FromDays(3_000_000)));
        Assert.Null(RetentionPlanner.Cutoff(Now, Tally.Core.Plans.PlanDuration.Forever));
    }
}
