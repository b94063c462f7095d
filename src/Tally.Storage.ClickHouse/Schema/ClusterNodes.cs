using Tally.Storage.ClickHouse.Http;

namespace Tally.Storage.ClickHouse.Schema;

/// <summary>A <c>remote_servers</c> cluster by name, and the HTTP interfaces of its nodes other than the entry node.</summary>
internal sealed record ClusterNodes(string Name, IReadOnlyList<ClickHouseHttp> Others);
