using Tally.Core.Governance;

namespace Tally.Server.Endpoints;

/// <summary>The answer of <c>GET /v1/audit</c>: lines newest first.</summary>
public sealed record AuditListing(int Count, IReadOnlyList<AuditEntry> Entries);
