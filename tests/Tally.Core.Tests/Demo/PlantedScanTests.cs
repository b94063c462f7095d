using System.Text.Json;
using System.Text.Json.Nodes;
using Tally.Core.Demo;

namespace Tally.Core.Tests.Demo;

public class PlantedScanTests
{
    private static readonly HashSet<string> Planted = ["+44 7700 900123", "maya.lopez123@example.com"];

    [Fact]
    public void A_phone_number_the_json_writer_escaped_is_still_found()
    {
        // The default encoder writes '+' as \u002B: a search of the raw text would miss it.
        var json = new JsonObject { ["note"] = "call +44 7700 900123" }.ToJsonString();
        Assert.Contains("\\u002B44", json);
        Assert.Equal(["+44 7700 900123"], PlantedScan.Find([json], Planted));
    }

    [Fact]
    public void Values_are_found_in_nested_objects_arrays_and_keys_but_not_in_hashes()
    {
        var docs = new[]
        {
            """{"a":{"b":["x","maya.lopez123@example.com"]}}""",
            JsonSerializer.Serialize(new Dictionary<string, int> { ["+44 7700 900123"] = 1 }),
            """{"contactEmail":"3c9d2a7f0b1e4d5a6c7b8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b"}""",
        };
        Assert.Equal(Planted.Order(), PlantedScan.Find(docs, Planted).Order());
        Assert.Empty(PlantedScan.Find([docs[2]], Planted));
    }
}
