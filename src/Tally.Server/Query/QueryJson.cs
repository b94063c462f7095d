using System.Text.Json.Serialization;

namespace Tally.Server.Query;

/// <summary>
/// Source-generated JSON for query answers, shared by the API and <c>tally … --json</c> so both print the same bytes.
/// Unlike the collector's answers, nulls are written: <c>"value": null</c> says a KPI is undefined over the range,
/// which a missing field would not.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(FunnelResponse))]
[JsonSerializable(typeof(KpiResponse))]
[JsonSerializable(typeof(KpiListResponse))]
[JsonSerializable(typeof(JourneyResponse))]
[JsonSerializable(typeof(JourneyListResponse))]
[JsonSerializable(typeof(AttributionResponse))]
[JsonSerializable(typeof(CountsResponse))]
public sealed partial class QueryJson : JsonSerializerContext;
