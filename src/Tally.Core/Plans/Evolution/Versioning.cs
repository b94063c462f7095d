using System.Globalization;
using System.Text.RegularExpressions;

namespace Tally.Core.Plans.Evolution;

/// <summary>
/// The versioning convention for breaking changes: a new event <c>name_v2</c> beside the old one (seed 002),
/// or a new table such as <c>mw_events_v2</c> (seed 003). Adding the new version is additive; changing the old
/// one in place is what breaks emitters and readers.
/// </summary>
public static partial class Versioning
{
    /// <summary>The general rule, printed once under a diff that has breaking changes.</summary>
    public const string Rule =
        "a breaking change needs a new versioned event or table (e.g. user.login_v2, mw_events_v2) beside the old one; " +
        "adding the new version as a NEW event is additive, and the old one can be retired once nobody emits or reads it";

    /// <summary>Splits <c>user.login_v2</c> into (<c>user.login</c>, 2); a name without a suffix is version 1.</summary>
    public static (string Base, int Version) Split(string name)
    {
        var m = VersionSuffix().Match(name);
        return m.Success ? (name[..m.Index], int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) : (name, 1);
    }

    /// <summary>The name of the next version: <c>user.login</c> → <c>user.login_v2</c>, <c>x_v2</c> → <c>x_v3</c>.</summary>
    public static string Next(string name)
    {
        var (b, v) = Split(name);
        return $"{b}_v{v + 1}";
    }

    /// <summary>True when <paramref name="candidate"/> is a later version of <paramref name="name"/> (<c>a_v2</c> of <c>a</c>).</summary>
    public static bool IsLaterVersionOf(string candidate, string name)
    {
        var (cb, cv) = Split(candidate);
        var (nb, nv) = Split(name);
        return cb == nb && cv > nv;
    }

    /// <summary>What to do instead of a breaking change to <paramref name="eventName"/> (or to something shared when null).</summary>
    internal static string Hint(string? eventName, IReadOnlyList<string>? usedBy = null)
    {
        if (eventName is not null)
            return $" -- a breaking change needs a new versioned event: add '{Next(eventName)}' as a NEW event beside '{eventName}' (that is additive) and retire '{eventName}' later";
        if (usedBy is { Count: > 0 })
            return $" -- a breaking change needs new versioned events: add {string.Join(", ", usedBy.Select(u => $"'{Next(u)}'"))} as NEW events with their own definition beside the old ones (that is additive)";
        return " -- a breaking change needs a new versioned event or table (e.g. user.login_v2, mw_events_v2) beside the old one (adding it is additive)";
    }

    [GeneratedRegex(@"_v(\d+)$")]
    private static partial Regex VersionSuffix();
}
