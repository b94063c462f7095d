using Tally.Server.Endpoints;

namespace Tally.Cli.Demo;

/// <summary>What was sent, and what the collector made of it (from its answers, <c>/v1/quarantine</c> and <c>/metrics</c>).</summary>
public sealed record DemoSummary
{
    public required string Endpoint { get; init; }
    public int Sent { get; init; }
    public int Requests { get; init; }
    public TimeSpan SendTime { get; init; }
    /// <summary>Events spoiled on purpose, sent after an opt-out, opt-outs, and events carrying planted personal data.</summary>
    public int Invalid { get; init; }
    public int AfterOptOut { get; init; }
    public int OptOuts { get; init; }
    public int WithPersonalData { get; init; }
    public long Accepted { get; init; }
    public long Duplicates { get; init; }
    public long Quarantined { get; init; }
    public long Dropped { get; init; }
    public IReadOnlyDictionary<string, long> DroppedByReason { get; init; } = new Dictionary<string, long>();
    public IReadOnlyList<QuarantineGroupBody> QuarantineGroups { get; init; } = [];
    /// <summary>Properties removed before writing, by the collector's reason (personal context, undeclared or policy).</summary>
    public IReadOnlyDictionary<string, long> FieldsRemoved { get; init; } = new Dictionary<string, long>();
    public int PlantedValues { get; init; }
    /// <summary>Planted raw values found as sent in stored events' properties afterwards: must be 0.</summary>
    public IReadOnlySet<string> PlantedInEvents { get; init; } = new HashSet<string>();
    /// <summary>Planted raw values found as sent in quarantined payloads afterwards: should be 0.</summary>
    public IReadOnlySet<string> PlantedInQuarantine { get; init; } = new HashSet<string>();
}
