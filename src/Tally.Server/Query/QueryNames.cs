using Tally.Core.Plans;

namespace Tally.Server.Query;

/// <summary>Units, KPI kinds and durations as the plan format writes them, so answers read like the plan.</summary>
public static class QueryNames
{
    public static string Unit(CountingUnit unit) => unit switch
    {
        CountingUnit.Session => "session",
        CountingUnit.User => "user",
        CountingUnit.Anonymous => "anonymous",
        _ => "event",
    };

    /// <summary>The units a funnel can count by, from text; null for anything else.</summary>
    public static CountingUnit? ActorUnit(string? text) => text switch
    {
        "session" => CountingUnit.Session,
        "user" => CountingUnit.User,
        "anonymous" => CountingUnit.Anonymous,
        _ => null,
    };

    public static string Kind(KpiKind kind) => kind switch
    {
        KpiKind.Ratio => "ratio",
        KpiKind.CountPerDay => "count_per_day",
        KpiKind.DistinctActors => "distinct_actors",
        KpiKind.ConversionWithin => "conversion_within",
        KpiKind.AverageChange => "average_change",
        KpiKind.RateBy => "rate_by",
        KpiKind.Median => "median",
        _ => kind.ToString(),
    };

    public static string Duration(TimeSpan span) => PlanDuration.Format(span);
}
