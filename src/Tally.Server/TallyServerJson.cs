using System.Text.Json.Serialization;
using Tally.Server.Endpoints;
using Tally.Server.Ingestion;

namespace Tally.Server;

/// <summary>Source-generated JSON for every response the server writes: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(QuarantineListing))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(Tally.Server.Governance.RetentionReport))]
public sealed partial class TallyServerJson : JsonSerializerContext;
