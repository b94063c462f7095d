using System.CommandLine;

namespace Tally.Cli;

/// <summary>Options of the analytics verbs: <c>--from</c>, <c>--to</c>, <c>--json</c> and <c>--environment</c>.</summary>
public sealed class QueryOptions
{
    public Option<string?> From { get; } = new("--from") { Description = "Start of the range, ISO 8601 (2026-01-01 or 2026-01-01T00:00:00Z; default: 7 days before --to)." };
    public Option<string?> To { get; } = new("--to") { Description = "End of the range, exclusive (default: the end of today, UTC)." };
    public Option<bool> Json { get; } = new("--json") { Description = "Print the same JSON as the query API." };
    public Option<string> Environment { get; } = new("--environment") { Description = "Events of this environment.", DefaultValueFactory = _ => "production" };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(From);
        cmd.Options.Add(To);
        cmd.Options.Add(Json);
        cmd.Options.Add(Environment);
    }
}
