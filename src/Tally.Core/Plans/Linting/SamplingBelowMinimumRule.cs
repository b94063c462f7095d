using System.Globalization;

namespace Tally.Core.Plans.Linting;

/// <summary>An event is sampled (by itself or by the plan default) below the minimum its owner set for it.</summary>
public sealed class SamplingBelowMinimumRule : ILintRule
{
    public string Code => "sampling-below-minimum";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        foreach (var e in plan.Events)
        {
            if (e.MinSampling is not { } min) continue;
            var rate = plan.SamplingOf(e);
            if (rate < min)
            {
                var source = e.Sampling is null ? "the default sampling" : "its sampling";
                yield return Diagnostic.Error(Code,
                    $"event '{e.Name}': {source} {Percent(rate)} is below its min_sampling {Percent(min)}", e.Location);
            }
        }
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
