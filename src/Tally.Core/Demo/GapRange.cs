using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>A time between two steps, written <c>30s</c> or <c>5s..2m</c>: uniform between both ends.</summary>
public sealed record GapRange(TimeSpan Min, TimeSpan Max)
{
    public static readonly GapRange Zero = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Whole milliseconds, so timestamps written with millisecond precision read back exactly.</summary>
    public TimeSpan Sample(DemoRandom rng) => TimeSpan.FromMilliseconds(rng.Between((long)Min.TotalMilliseconds, (long)Max.TotalMilliseconds));

    public static bool TryParse(string? text, out GapRange gap)
    {
        gap = Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || !PlanDuration.TryParse(parts[0], out var min) || min == PlanDuration.Forever) return false;
        var max = min;
        if (parts.Length == 2 && (!PlanDuration.TryParse(parts[1], out max) || max == PlanDuration.Forever)) return false;
        if (max < min) return false;
        gap = new GapRange(min, max);
        return true;
    }

    public override string ToString() => Min == Max ? PlanDuration.Format(Min) : $"{PlanDuration.Format(Min)}..{PlanDuration.Format(Max)}";
}
