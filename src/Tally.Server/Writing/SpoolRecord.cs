using System.Text.Json.Serialization;
using Tally.Core.Events;

namespace Tally.Server.Writing;

/// <summary>One request's batch as the spool keeps it.</summary>
public sealed record SpoolRecord(IReadOnlyList<CollectedEvent> Events, IReadOnlyList<QuarantinedEvent> Quarantined, IReadOnlyList<IdentityLink> Links)
{
    /// <summary>Opt-out changes, applied to the store before this record's events.</summary>
    public IReadOnlyList<OptOutChange>? OptOuts { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpoolRecord))]
internal sealed partial class SpoolJson : JsonSerializerContext;
