using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tally.Cli.Commands;

/// <summary>Source-generated JSON for <c>tally plan diff --format json</c>: no reflection, camelCase names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PlanDiffReport))]
internal sealed partial class PlanDiffJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Writes quotes and arrows as themselves: the output goes to a terminal or a file, never into HTML,
    /// and messages full of \u0027 are hard to read.
    /// </summary>
    public static PlanDiffJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
