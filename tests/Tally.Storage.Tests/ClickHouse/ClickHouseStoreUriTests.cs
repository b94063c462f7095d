using Tally.Storage.ClickHouse;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.ClickHouse;

public sealed class ClickHouseStoreUriTests
{
    [Fact]
    public void Host_port_and_database_become_the_http_address_and_database()
    {
        var uri = ClickHouseStoreUri.Parse("clickhouse://10.0.0.5:18123/analytics");

        Assert.Equal(new Uri("http://10.0.0.5:18123/"), uri.HttpBase);
        Assert.Equal("analytics", uri.Database);
        Assert.Null(uri.User);
        Assert.Null(uri.Password);
    }

    [Fact]
    public void Port_and_database_have_defaults()
    {
        var uri = ClickHouseStoreUri.Parse("clickhouse://ch.internal");

        Assert.Equal(new Uri("http://ch.internal:8123/"), uri.HttpBase);
        Assert.Equal("tally", uri.Database);
    }

    [Fact]
    public void User_and_password_are_taken_from_the_user_info_and_unescaped()
    {
        var uri = ClickHouseStoreUri.Parse("clickhouse://writer:p%40ss%3Aword@localhost:8123/tally");

        Assert.Equal("writer", uri.User);
        Assert.Equal("p@ss:word", uri.Password);
        Assert.DoesNotContain("p@ss", uri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_and_the_other_nodes_http_addresses_come_from_the_query()
    {
        var uri = ClickHouseStoreUri.Parse("clickhouse://ch1:8123/tally?cluster=tally_two_shards&nodes=ch2:8124,ch3");

        Assert.Equal("tally_two_shards", uri.Cluster);
        Assert.Equal([new Uri("http://ch2:8124/"), new Uri("http://ch3:8123/")], uri.OtherNodes);
        Assert.Equal([new Uri("http://ch1:8123/"), new Uri("http://ch2:8124/"), new Uri("http://ch3:8123/")], uri.Nodes);
        Assert.Equal("clickhouse://ch1:8123/tally?cluster=tally_two_shards&nodes=ch2:8124,ch3:8123", uri.ToString());
    }

    [Fact]
    public void Without_a_cluster_the_store_is_one_node()
    {
        var uri = ClickHouseStoreUri.Parse("clickhouse://ch1:8123/tally");

        Assert.Null(uri.Cluster);
        Assert.Equal([new Uri("http://ch1:8123/")], uri.Nodes);
    }

    [Theory]
    [InlineData("clickhouse://ch1/tally?nodes=ch2:8124")]
    [InlineData("clickhouse://ch1/tally?cluster=bad-name")]
    [InlineData("clickhouse://ch1/tally?cluster=c&nodes=ch2:8124/path")]
    [InlineData("clickhouse://ch1/tally?cluster=c&nodes=user@ch2")]
    [InlineData("clickhouse://ch1/tally?clutser=c")]
    public void Cluster_options_that_cannot_be_right_are_refused(string text)
    {
        Assert.False(ClickHouseStoreUri.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("sqlite://data/tally.db")]
    [InlineData("http://localhost:8123/tally")]
    [InlineData("clickhouse://localhost:8123/bad-name")]
    [InlineData("clickhouse:///tally")]
    [InlineData("not a uri")]
    [InlineData("")]
    public void Anything_else_is_refused_with_the_expected_form(string text)
    {
        Assert.False(ClickHouseStoreUri.TryParse(text, out var uri, out var error));
        Assert.Null(uri);
        Assert.NotNull(error);
        Assert.Throws<FormatException>(() => ClickHouseStoreUri.Parse(text));
    }

    [Fact]
    public void Without_the_server_variable_the_tests_fail_and_say_how_to_get_a_server()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClickHouseServer.Resolve(null));

        Assert.Contains(ClickHouseServer.Variable, error.Message);
        Assert.Contains("scripts/test", error.Message);
    }
}
