using System.Text;
using Tally.Core.Analytics;
using Tally.Storage.Sqlite.Projection;

namespace Tally.Storage.Tests.Sqlite;

/// <summary>The projection's streaming reader of properties must flatten exactly as <see cref="PropertyFlattener"/> does.</summary>
public sealed class PropertyStreamTests
{
    [Theory]
    [InlineData("""{"plan":"pro","n":5e2,"x":2.50,"big":1e20,"neg":-3,"f":0.1,"t":true,"no":false,"z":null}""")]
    [InlineData("""{"decision":{"department":"rings","depth":{"a":1}},"after":"x"}""")]
    [InlineData("""{"list":[1,{"a":2},[3]],"k":"v","empty":{}}""")]
    [InlineData("""{"esc":"caf\u00e9 \"q\" \\ \n","uni":"日本","k\u0065y":"escaped key"}""")]
    [InlineData("""{"a":1,"a":"two","b":{"c":1},"b":null,"d":[1],"d":"kept"}""")]
    [InlineData("""{"a.b":"flat","a":{"b":"nested"}}""")]
    [InlineData("{}")]
    [InlineData("")]
    [InlineData("  ")]
    public void Streamed_properties_equal_the_flattened_ones(string json)
    {
        var partition = new NamePartition("e", PropertyColumn.DefaultAlwaysKept);
        new PropertyStream().Read(Encoding.UTF8.GetBytes(json), partition, partition.Add(0, 1, -1, -1, -1));
        // A second row with other values must not disturb the first.
        new PropertyStream().Read(Encoding.UTF8.GetBytes("""{"plan":"free","other":1}"""), partition, partition.Add(0, 1, -1, -1, -1));

        var expected = PropertyFlattener.Flatten(json).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var actual = new ProjectedProperties(partition, 0).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }
}
