using System.Globalization;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>A scrape of <c>/metrics</c>, read as series (name with its labels, as written) to values.</summary>
public sealed class Metrics
{
    private readonly Dictionary<string, double> _series;

    private Metrics(string text)
    {
        Text = text;
        _series = text.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(x => x.Series, x => x.Value, StringComparer.Ordinal);
    }

    public string Text { get; }

    public IReadOnlyDictionary<string, double> Series => _series;

    public static async Task<Metrics> ScrapeAsync(TestServer server) => new(await server.GetStringAsync("/metrics"));

    /// <summary>A scrape through any client whose base address is a collector (e.g. a <c>tally serve</c> process).</summary>
    public static async Task<Metrics> ScrapeAsync(HttpClient client, CancellationToken ct = default) => new(await client.GetStringAsync("/metrics", ct));

    /// <summary>A series' value, 0 when it was never written (a counter that has not moved yet).</summary>
    public double this[string series] => _series.GetValueOrDefault(series);
}
