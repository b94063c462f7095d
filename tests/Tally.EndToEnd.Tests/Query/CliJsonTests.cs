using System.Net;
using Tally.Core.Tests.Support;

namespace Tally.EndToEnd.Tests.Query;

/// <summary>
/// <c>tally funnel|kpi|attribution|journeys|counts … --json</c> on the server's own data directory print exactly
/// what the query API answers, byte for byte.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliJsonTests(QueryServer fixture) : IClassFixture<QueryServer>
{
    public static TheoryData<string, string> Queries => new()
    {
        { "/v1/funnels/support_resolution?from=2026-01-01&to=2026-01-02", "funnel support_resolution --from 2026-01-01 --to 2026-01-02" },
        { "/v1/funnels/product_engagement?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z", "funnel product_engagement --from 2026-03-01T00:00:00Z --to 2026-03-02T00:00:00Z" },
        { "/v1/kpis?from=2026-01-01&to=2026-01-08", "kpi --from 2026-01-01 --to 2026-01-08" },
        { "/v1/kpis/order_tracking_success?from=2026-01-01&to=2026-01-02", "kpi order_tracking_success --from 2026-01-01 --to 2026-01-02" },
        { "/v1/attribution/intent_credit?from=2026-01-01&to=2026-01-02", "attribution intent_credit --from 2026-01-01 --to 2026-01-02" },
        { "/v1/journeys?from=2026-02-01&to=2026-02-02", "journeys --from 2026-02-01 --to 2026-02-02" },
        { "/v1/journeys/track_my_order?from=2026-02-01&to=2026-02-02", "journeys track_my_order --from 2026-02-01 --to 2026-02-02" },
        { "/v1/counts?event=aurora_order_tracked&granularity=hour&from=2026-01-01&to=2026-01-02", "counts --event aurora_order_tracked --granularity hour --from 2026-01-01 --to 2026-01-02" },
        { "/v1/counts?from=2025-12-31&to=2026-01-03", "counts --from 2025-12-31 --to 2026-01-03" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_json_of_the_cli_is_the_json_of_the_api(string path, string verb)
    {
        var api = await fixture.GetAsync(path, fixture.Server.AnalystKey);
        Assert.Equal(HttpStatusCode.OK, api.Status);

        var cli = await CapturedRun.Tally([.. verb.Split(' '), "--json", .. StoreArgs()]);

        Assert.True(cli.ExitCode == 0, cli.Error);
        Assert.Equal(api.Body, cli.Out.TrimEnd('\n', '\r'));
    }

    [Fact]
    public async Task Without_json_the_cli_prints_a_table_of_the_same_numbers()
    {
        var cli = await CapturedRun.Tally(["funnel", "product_engagement", "--from", "2026-03-01", "--to", "2026-03-02", .. StoreArgs()]);

        Assert.True(cli.ExitCode == 0, cli.Error);
        var rows = cli.OutLines.Where(l => l.Contains("aurora_", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Matches(@"aurora_widget_open\s*│\s*2\s*│", rows[0]);
        Assert.Matches(@"aurora_products_shown\s*│\s*2\s*│\s*100%", rows[1]);
        Assert.Matches(@"aurora_product_shortlisted\s*│\s*1\s*│\s*50%\s*│\s*50%\s*│\s*5m 0s", rows[2]);
    }

    [Fact]
    public async Task An_unknown_name_exits_2_with_a_suggestion()
    {
        var cli = await CapturedRun.Tally(["kpi", "order_tracking_sucess", .. StoreArgs()]);

        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("did you mean 'order_tracking_success'?", cli.Error);
        Assert.Empty(cli.Out);
    }

    [Fact]
    public async Task A_data_directory_without_a_store_is_refused_rather_than_answered_with_zeros()
    {
        var empty = Directory.CreateTempSubdirectory("tally-empty-").FullName;
        try
        {
            var cli = await CapturedRun.Tally("counts", "--plan", fixture.PlanPath, "--data", empty, "--json");

            Assert.Equal(1, cli.ExitCode);
            Assert.Contains("no store", cli.Error);
            Assert.Empty(Directory.GetFileSystemEntries(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    private string[] StoreArgs() => ["--plan", fixture.PlanPath, "--data", fixture.Server.DataDirectory];
}
