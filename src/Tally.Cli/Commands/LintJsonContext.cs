using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tally.Cli.Commands;

/// <summary>Source-generated JSON for lint output: no reflection at run time, and trimming-safe.</summary>
[JsonSerializable(typeof(List<LintFinding>))]
internal sealed partial class LintJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Readable output: messages quote names as 'x', which the default encoder would write as \u0027.
    /// The output goes to a terminal or a file, never into HTML, so relaxed escaping is safe here.
    /// </summary>
    public static LintJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    });
}
