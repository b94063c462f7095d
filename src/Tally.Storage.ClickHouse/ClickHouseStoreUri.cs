using Tally.Storage.ClickHouse.Sql;

namespace Tally.Storage.ClickHouse;

/// <summary>
/// Where a ClickHouse store lives, from a URI of the form <c>clickhouse://[USER[:PASSWORD]@]HOST[:PORT][/DATABASE]</c>:
/// the HTTP interface's base address (port 8123 when none is given) and the database (<c>tally</c> when none is given).
/// </summary>
public sealed record ClickHouseStoreUri(Uri HttpBase, string Database, string? User = null, string? Password = null)
{
    public const string Scheme = "clickhouse";
    public const int DefaultHttpPort = 8123;
    public const string DefaultDatabase = "tally";

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

        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultHttpPort : uri.Port;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.DnsSafeHost}]" : uri.Host;
        result = new ClickHouseStoreUri(new Uri($"http://{host}:{port}/"), database, user, password);
        error = null;
        return true;
    }

    public static ClickHouseStoreUri Parse(string text) =>
        TryParse(text, out var result, out var error) ? result! : throw new FormatException(error);

    /// <summary>The URI form again, without the password.</summary>
    public override string ToString() =>
        $"{Scheme}://{(User is null ? "" : Uri.EscapeDataString(User) + "@")}{HttpBase.Authority}/{Database}";
}
