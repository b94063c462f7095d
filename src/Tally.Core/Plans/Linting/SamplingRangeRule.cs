using System.Globalization;

namespace Tally.Core.Plans.Linting;

/// <summary>A sampling rate (event, minimum or default) outside 0..1; <c>50</c> was probably meant as <c>50%</c>.</summary>
public sealed class SamplingRangeRule : ILintRule
{
    public string Code => "sampling-range";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        if (OutOfRange(plan.Defaults.Sampling))
            yield return Report("defaults: 'sampling'", plan.Defaults.Sampling, plan.Defaults.Location);
        foreach (var e in plan.Events)
        {
            if (e.Sampling is { } s && OutOfRange(s)) yield return Report($"event '{e.Name}': 'sampling'", s, e.Location);
            if (e.MinSampling is { } m && OutOfRange(m)) yield return Report($"event '{e.Name}': 'min_sampling'", m, e.Location);
        }
    }

    private static bool OutOfRange(double rate) => double.IsNaN(rate) || rate < 0 || rate > 1;

    private Diagnostic Report(string what, double value, SourceLocation at)
    {
        var hint = value > 1 && value <= 100 ? $" (for {value.ToString(CultureInfo.InvariantCulture)} percent write {value.ToString(CultureInfo.InvariantCulture)}%)" : "";
        return Diagnostic.Error(Code, $"{what} is {value.ToString(CultureInfo.InvariantCulture)}; a sampling rate must be between 0 and 1{hint}", at);
    }
}
