using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// Where a ClickHouse store lives, from a URI of the form
/// <c>clickhouse://[USER[:PASSWORD]@]HOST[:PORT][/DATABASE][?cluster=NAME&amp;nodes=HOST2:PORT2,HOST3:PORT3]</c>:
/// the HTTP interface's base address (port 8123 when none is given) and the database (<c>tally</c> when none is given).
/// With <c>cluster</c>, the store uses the sharded layout of docs/scale-out.md: HOST is the entry node that holds the
/// <c>Distributed</c> tables, and the local tables are created on HOST and on every node in <c>nodes</c> (their HTTP
/// addresses; the cluster itself is defined in the servers' <c>remote_servers</c> config, which names TCP ports).
/// </summary>
public sealed record ClickHouseStoreUri(Uri HttpBase, string Database, string? User = null, string? Password = null)
{
    public const string Scheme = "clickhouse";
    public const int DefaultHttpPort = 8123;
    public const string DefaultDatabase = "tally";

    /// <summary>The <c>remote_servers</c> cluster the sharded tables are spread over; null for one node.</summary>
    public string? Cluster { get; init; }

    /// <summary>HTTP addresses of the cluster's nodes other than <see cref="HttpBase"/>; empty for one node.</summary>
    public IReadOnlyList<Uri> OtherNodes { get; init; } = [];

    /// <summary>Every node the local tables are created on: the entry node first.</summary>
    public IReadOnlyList<Uri> Nodes => [HttpBase, .. OtherNodes];

    public static bool TryParse(string? text, out ClickHouseStoreUri? result, out string? error)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) ||
            !string.Equals(uri.Scheme, Scheme, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"'{text}' is not a ClickHouse store URI: use clickhouse://HOST:PORT/DATABASE";
            return false;
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length == 0)
        {
            database = DefaultDatabase;
        }

        if (!SqlLiteral.IsIdentifier(database))
        {
            error = $"'{database}' in '{text}' is not a valid database name: use letters, digits and '_', not starting with a digit";
            return false;
        }

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        if (!TryParseCluster(uri.Query, text, out var cluster, out var nodes, out error))
        {
            return false;
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultHttpPort : uri.Port;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.DnsSafeHost}]" : uri.Host;
        result = new ClickHouseStoreUri(new Uri($"http://{host}:{port}/"), database, user, password) { Cluster = cluster, OtherNodes = nodes };
        error = null;
        return true;
    }

    public static ClickHouseStoreUri Parse(string text) =>
        TryParse(text, out var result, out var error) ? result! : throw new FormatException(error);

    /// <summary>The URI form again, without the password.</summary>
    public override string ToString()
    {
        var text = $"{Scheme}://{(User is null ? "" : Uri.EscapeDataString(User) + "@")}{HttpBase.Authority}/{Database}";
        if (Cluster is null)
        {
            return text;
        }

        return OtherNodes.Count == 0
            ? $"{text}?cluster={Cluster}"
            : $"{text}?cluster={Cluster}&nodes={string.Join(',', OtherNodes.Select(n => n.Authority))}";
    }

    /// <summary>Reads <c>cluster=NAME</c> and <c>nodes=HOST:PORT,...</c>; anything else in the query is refused, so a typo is not ignored.</summary>
    private static bool TryParseCluster(string query, string text, out string? cluster, out IReadOnlyList<Uri> nodes, out string? error)
    {
        cluster = null;
        nodes = [];
        error = null;
        string? nodeList = null;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "cluster": cluster = value; break;
                case "nodes": nodeList = value; break;
                default:
                    error = $"'{key}' in '{text}' is not a ClickHouse store option: use ?cluster=NAME&nodes=HOST:PORT,...";
                    return false;
            }
        }

        if (cluster is null)
        {
            if (nodeList is not null)
            {
                error = $"'nodes' in '{text}' needs 'cluster=NAME' too";
                return false;
            }

            return true;
        }

        if (!SqlLiteral.IsIdentifier(cluster))
        {
            error = $"cluster '{cluster}' in '{text}' is not a valid name: use letters, digits and '_', not starting with a digit";
            return false;
        }

        var parsed = new List<Uri>();
        foreach (var node in (nodeList ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate($"http://{node}/", UriKind.Absolute, out var address) || address.AbsolutePath != "/" || node.Contains('@', StringComparison.Ordinal))
            {
                error = $"node '{node}' in '{text}' is not HOST[:PORT] of a ClickHouse HTTP interface";
                return false;
            }

            var port = address.IsDefaultPort ? DefaultHttpPort : address.Port;
            parsed.Add(new Uri($"http://{address.Host}:{port}/"));
        }

        nodes = parsed;
        return true;
    }
}
