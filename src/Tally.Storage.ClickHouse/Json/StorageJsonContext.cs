using System.Text.Json.Serialization;
using Tally.Core.Events;

namespace Tally.Storage.ClickHouse.Json;

/// <summary>Quarantine reasons as a JSON array of <c>{code, message, property}</c>, the same shape the SQLite store keeps.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<Violation>))]
[JsonSerializable(typeof(Violation[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
