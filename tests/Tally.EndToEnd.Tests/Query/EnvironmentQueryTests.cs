using System.Net;
using System.Text.Json.Nodes;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Query;

/// <summary><c>?environment=</c> asks the same question of another environment the plan lists.</summary>
public sealed class EnvironmentQueryTests
{
    [Fact]
    public async Task Counts_answer_for_the_environment_asked_and_reject_one_the_plan_does_not_list()
    {
        await using var server = await TestServer.StartAsync(Repo.PathOf("plans", "aurora-concierge.yaml"));
        (await server.PostAsync("/v1/batch", Some.Batch(Some.WidgetOpen("p1"), Some.WidgetOpen("p2")))).ShouldBeIngested(accepted: 2);
        (await server.PostAsync("/v1/batch", Some.Batch(Some.WidgetOpen("s1"), Some.WidgetOpen("s2"), Some.WidgetOpen("s3")), key: server.StagingWriteKey))
            .ShouldBeIngested(accepted: 3);

        async Task<(HttpStatusCode, JsonNode?)> Get(string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/counts?event=aurora_widget_open" + query);
            request.Headers.Authorization = new("Bearer", server.AnalystKey);
            using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        var (okProd, prod) = await Get("");
        var (okStaging, staging) = await Get("&environment=staging");
        var (bad, error) = await Get("&environment=qa");

        Assert.Equal(HttpStatusCode.OK, okProd);
        Assert.Equal(2, prod!["total"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, okStaging);
        Assert.Equal(3, staging!["total"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("unknown_environment", error!["error"]!.GetValue<string>());
    }
}
