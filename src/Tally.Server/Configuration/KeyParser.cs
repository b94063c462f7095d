namespace Tally.Server.Configuration;

/// <summary>
/// Reads keys from the environment (or a config file's equivalent strings). Writer keys may name their
/// environment: <c>TALLY_WRITE_KEYS=wk_prod:production,wk_stage:staging</c>.
/// </summary>
public static class KeyParser
{
    public static IReadOnlyList<ApiKey> FromEnvironment(Func<string, string?> env)
    {
        var keys = new List<ApiKey>();
        Add(keys, env("TALLY_WRITE_KEYS"), Role.Writer);
        Add(keys, env("TALLY_VIEWER_KEYS"), Role.Viewer);
        Add(keys, env("TALLY_ANALYST_KEYS"), Role.Analyst);
        Add(keys, env("TALLY_ADMIN_KEYS"), Role.Admin);
        return keys;
    }

    public static void Add(List<ApiKey> keys, string? list, Role role)
    {
        if (string.IsNullOrWhiteSpace(list)) return;
        foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = item.IndexOf(':');
            keys.Add(colon > 0 ? new ApiKey(item[..colon], role, item[(colon + 1)..]) : new ApiKey(item, role));
        }
    }
}
