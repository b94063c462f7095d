using System.Text.Json.Serialization;
using Tally.Core.Governance;
using Tally.Server.Endpoints;

namespace Tally.Server;

/// <summary>Source-generated JSON for the governance answers (deletion receipts, audit listings), shared with the CLI's <c>--json</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(DeletionReceipt))]
[JsonSerializable(typeof(AuditListing))]
[JsonSerializable(typeof(AuditEntry))]
public sealed partial class GovernanceJson : JsonSerializerContext;
