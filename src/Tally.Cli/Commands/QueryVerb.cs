using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Tally.Core.Analytics;
using Tally.Core.Storage;
using Tally.Server.Query;
using Tally.Storage.Sqlite;

namespace Tally.Cli.Commands;

/// <summary>
/// What the analytics verbs share: open plan and store, parse the range as the API does, ask <see cref="QueryService"/>
/// (the API's own builder), then print a table or, with <c>--json</c>, exactly the API's JSON. Exit codes: 0 answered,
/// 1 the plan or store could not be opened, 2 the query was refused (unknown name, bad range), with the reason on stderr.
/// </summary>
internal static class QueryVerb
{
    public static async Task<int> RunAsync<T>(ParseResult parse, CommonOptions common, QueryOptions options, string verb, JsonTypeInfo<T> json,
        Func<QueryService, TimeRange, CancellationToken, Task<QueryAnswer<T>>> query, Action<IAnsiConsole, T> render, CancellationToken ct) where T : class
    {
        var (range, rangeError) = QueryRange.Parse(parse.GetValue(options.From), parse.GetValue(options.To), DateTimeOffset.UtcNow);
        if (rangeError is not null) return Refused(verb, rangeError);
        // Opening a store creates it: a mistyped --data would answer zeros from a new, empty file.
        var defaultFile = Path.Combine(parse.GetValue(common.Data)!.FullName, "tally.db");
        if (string.IsNullOrEmpty(parse.GetValue(common.Store)) && !File.Exists(defaultFile))
        {
            Console.Error.WriteLine($"tally {verb}: no store at {defaultFile} (pass the --data directory of tally serve or tally ingest)");
            return 1;
        }
        if (await common.OpenAsync(parse) is not { } opened) return 1;
        await using var store = opened.Store;
        var environment = parse.GetValue(options.Environment) ?? SqliteEventStore.DefaultEnvironment;
        IAnalyticsStore? analytics = store is SqliteEventStore sqlite ? sqlite.Analytics(environment) : store as IAnalyticsStore;
        if (analytics is null)
        {
            Console.Error.WriteLine($"tally {verb}: the store {store.GetType().Name} does not answer analytics queries");
            return 1;
        }
        var answer = await query(new QueryService(opened.Plan, analytics), range!, ct);
        if (answer.Error is { } error) return Refused(verb, error);
        if (parse.GetValue(options.Json)) Console.Out.WriteLine(JsonSerializer.Serialize(answer.Value!, json));
        else render(Out(), answer.Value!);
        return 0;
    }

    /// <summary>
    /// A console on the current standard output (not the one Spectre captured at its first use), so output can be
    /// redirected; when it is, plain text without colour codes, wide enough that names are not wrapped.
    /// </summary>
    public static IAnsiConsole Out() => Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error() => Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = 200;
        return console;
    }

    private static int Refused(string verb, QueryError error)
    {
        Console.Error.WriteLine($"tally {verb}: {error.Message}");
        return 2;
    }

    // ---- formatting shared by the tables ----------------------------------------------------------------------

    public static string Range(DateTimeOffset from, DateTimeOffset to) => $"{Instant(from)} → {Instant(to)}";

    private static string Instant(DateTimeOffset t) =>
        t.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "–";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(double? seconds)
    {
        if (seconds is not { } s) return "–";
        var t = TimeSpan.FromSeconds(s);
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h"
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes}m"
            : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m {t.Seconds}s"
            : $"{s.ToString("0.#", CultureInfo.InvariantCulture)}s";
    }

    public static Table Table(params string[] columns)
    {
        var table = new Table();
        for (var i = 0; i < columns.Length; i++)
        {
            var column = new TableColumn(Markup.Escape(columns[i]));
            if (i > 0) column.RightAligned();
            table.AddColumn(column);
        }
        return table;
    }
}
