using System.Globalization;
using System.Reflection;

namespace Tally.Core.Storage;

/// <summary>
/// A store's numbered schema script (<c>NNN_description.sql</c>), embedded in its assembly. Both stores keep their
/// schema this way; this finds the scripts, in version order, and refuses misnamed or clashing ones.
/// </summary>
public sealed record SchemaScript(int Version, string Name, string Text)
{
    public static IReadOnlyList<SchemaScript> Embedded(Assembly assembly, string resourcePrefix)
    {
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(resourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var name = resource[resourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Schema script '{name}.sql' must be named NNN_description.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded schema script '{resource}' is missing.");
            using var reader = new StreamReader(stream);
            scripts.Add(new SchemaScript(version, name, reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < scripts.Count; i++)
            if (scripts[i].Version == scripts[i - 1].Version)
                throw new InvalidOperationException($"Two schema scripts share version {scripts[i].Version}.");
        return scripts;
    }
}
