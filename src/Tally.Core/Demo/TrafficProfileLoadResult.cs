using Tally.Core.Plans;

namespace Tally.Core.Demo;

/// <summary>A loaded traffic profile (null when the file could not be read at all) and what was found on the way.</summary>
public sealed record TrafficProfileLoadResult(TrafficProfile? Profile, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
