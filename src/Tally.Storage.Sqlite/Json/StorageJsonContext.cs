using System.Text.Json.Serialization;
using Tally.Core.Events;

namespace Tally.Storage.Sqlite.Json;

/// <summary>
/// Quarantine reasons as a JSON array of <c>{code, message, property}</c>. Source-generated, so writing a batch
/// never reflects over types, and the column is readable by SQLite's own JSON functions for grouping.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<Violation>))]
[JsonSerializable(typeof(Violation[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
