using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>
/// Keeps plans/tally-plan.schema.json and PlanLoader in step: every key the schema lists is read by the loader,
/// every key the loader reads is listed, every closed mapping rejects strangers, enums and required keys agree.
/// </summary>
public class PlanSchemaTests
{
    private static readonly JsonDocument Schema = JsonDocument.Parse(File.ReadAllText(Repo.PathOf("plans", "tally-plan.schema.json")));

    /// <summary>A fresh sample per test: tests change it in place.</summary>
    private static PlanSchemaSample Sample() => new(Schema.RootElement);

    /// <summary>JSON is YAML, so the sample goes through the real loader as written.</summary>
    private static PlanLoadResult Load(JsonNode document) => PlanLoader.Parse(document.ToJsonString(), "sample.yaml");

    private static string Show(PlanLoadResult r) => string.Join("\n", r.Diagnostics);

    [Fact]
    public void Schema_is_draft_2020_12_and_closes_every_mapping_that_has_keys()
    {
        var root = Schema.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        var open = new List<string>();
        foreach (var def in root.GetProperty("$defs").EnumerateObject())
        {
            if (def.Value.TryGetProperty("properties", out _) &&
                !(def.Value.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False))
                open.Add(def.Name);
        }
        Assert.Empty(open);
        Assert.Equal(JsonValueKind.False, root.GetProperty("additionalProperties").ValueKind);
    }

    [Fact]
    public void A_plan_using_every_key_the_schema_lists_loads_without_a_single_diagnostic()
    {
        var sample = Sample();
        var result = Load(sample.Document);
        Assert.True(result.Diagnostics.Count == 0, Show(result));
        Assert.NotNull(result.Plan);
        // The sample reached every closed section of the schema, so the other tests cover them all.
        var closedDefinitions = Schema.RootElement.GetProperty("$defs").EnumerateObject()
            .Where(d => d.Value.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False)
            .Select(d => d.Name).Append("(root)").Order();
        Assert.Equal(closedDefinitions, sample.ClosedObjects.Select(c => c.Definition).Distinct().Order());
    }

    [Fact]
    public void A_key_not_in_the_schema_is_reported_by_the_loader_in_every_section()
    {
        var sample = Sample();
        Assert.NotEmpty(sample.ClosedObjects);
        foreach (var closed in sample.ClosedObjects)
        {
            closed.Node["zz_not_in_schema"] = "x";
            var result = Load(sample.Document);
            Assert.True(result.Diagnostics.Any(d => d.Code == "unknown-key" && d.Message.Contains("'zz_not_in_schema'")),
                $"{closed.Path} ({closed.Definition}): the loader accepted a key the schema does not list\n{Show(result)}");
            closed.Node.Remove("zz_not_in_schema");
        }
    }

    [Fact]
    public void Every_key_the_loader_reads_is_listed_in_the_schema_for_that_section()
    {
        // Candidates: every key-like literal in the loader's source and every key the schema knows anywhere.
        // Whether the loader accepts one in a given section is then decided by the loader itself.
        var source = File.ReadAllText(Repo.PathOf("src", "Tally.Core", "Plans", "PlanLoader.cs"));
        var candidates = Regex.Matches(source, "\"([a-z][a-z_]*)\"").Select(m => m.Groups[1].Value)
            .Concat(Sample().ClosedObjects.SelectMany(c => c.Keys))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("aggregate_only", candidates);

        var sample = Sample();
        var missing = new List<string>();
        foreach (var closed in sample.ClosedObjects)
        {
            var tried = candidates.Except(closed.Keys).ToList();
            foreach (var k in tried) closed.Node[k] = "x";
            var result = Load(sample.Document);
            var rejected = result.Diagnostics.Where(d => d.Code == "unknown-key").Select(d => d.Message).ToList();
            missing.AddRange(tried.Where(k => !rejected.Any(m => m.StartsWith($"unknown key '{k}' in", StringComparison.Ordinal)))
                .Select(k => $"{closed.Definition} at {closed.Path}: '{k}'"));
            foreach (var k in tried) closed.Node.Remove(k);
        }
        Assert.True(missing.Count == 0, "the loader reads keys the schema does not list:\n" + string.Join("\n", missing.Distinct()));
    }

    [Fact]
    public void Every_enum_value_in_the_schema_is_accepted_and_the_loaders_own_list_is_in_the_schema()
    {
        var sample = Sample();
        var checkedKeys = new List<string>();
        var sharedChecked = new HashSet<string>();
        // One occurrence of each definition is enough here: the values are the same wherever it is used.
        foreach (var closed in sample.ClosedObjects.DistinctBy(c => c.Definition))
        {
            foreach (var key in closed.Keys)
            {
                var schema = closed.Schema.GetProperty("properties").GetProperty(key);
                var values = sample.EnumValues(schema, out var direct);
                if (values.Count == 0) continue;
                checkedKeys.Add(key);
                // A shared alternative such as a flag's spellings reads the same everywhere: try its values once.
                if (!direct && !sharedChecked.Add(sample.Resolve(schema).Definition ?? key)) continue;
                var original = closed.Node[key]?.DeepClone();
                foreach (var v in values)
                {
                    closed.Node[key] = v;
                    var ok = Load(sample.Document);
                    Assert.True(ok.Diagnostics.Count == 0, $"{closed.Path}.{key}: '{v}' is in the schema but the loader says\n{Show(ok)}");
                }
                if (direct)
                {
                    closed.Node[key] = "zzzzzzzzzzzz";
                    var bad = Load(sample.Document);
                    var d = Assert.Single(bad.Diagnostics, d => d.Code == "bad-value");
                    var listed = Regex.Match(d.Message, "is not one of (?<list>[^;]+)").Groups["list"].Value.Split(", ");
                    Assert.All(listed, l => Assert.Contains(l, values));
                }
                closed.Node[key] = original;
            }
        }
        Assert.Superset(new HashSet<string> { "type", "pii", "kind", "unit", "style", "format", "undeclared", "scope", "items" }, checkedKeys.ToHashSet());
    }

    [Fact]
    public void Every_type_name_works_as_the_property_shorthand()
    {
        var sample = Sample();
        var names = sample.EnumValues(Schema.RootElement.GetProperty("$defs").GetProperty("property"), out _);
        Assert.Contains("timestamp", names);
        foreach (var name in names)
        {
            var result = PlanLoader.Parse($"plan: x\nversion: '1'\nproperties:\n  p: {name}\n");
            Assert.True(result.Diagnostics.Count == 0, $"{name}: {Show(result)}");
        }
    }

    [Fact]
    public void Leaving_out_a_key_the_schema_requires_is_an_error_for_the_loader()
    {
        var sample = Sample();
        var checkedKeys = 0;
        foreach (var closed in sample.ClosedObjects)
        {
            foreach (var key in closed.Required)
            {
                var original = closed.Node[key]!.DeepClone();
                closed.Node.Remove(key);
                var result = Load(sample.Document);
                Assert.True(result.Diagnostics.Any(d => d.Code == "missing-key" && d.Message.Contains($"'{key}'")),
                    $"{closed.Path}: without '{key}' the loader says\n{Show(result)}");
                closed.Node[key] = original;
                checkedKeys++;
            }
        }
        Assert.True(checkedKeys >= 6, $"only {checkedKeys} required keys checked");
    }

    [Theory]
    [InlineData("30m")]
    [InlineData("24h")]
    [InlineData("14d")]
    [InlineData("2w")]
    [InlineData("6mo")]
    [InlineData("2y")]
    [InlineData("90s")]
    [InlineData("1.5h")]
    [InlineData("7 days")]
    [InlineData("forever")]
    [InlineData("30")]
    [InlineData("d")]
    [InlineData("3 parsecs")]
    [InlineData("-1d")]
    [InlineData("1.2.3d")]
    public void Duration_pattern_accepts_exactly_what_the_loader_parses(string text)
    {
        var pattern = Schema.RootElement.GetProperty("$defs").GetProperty("duration").GetProperty("pattern").GetString()!;
        Assert.Equal(PlanDuration.TryParse(text, out _), Regex.IsMatch(text, pattern));
    }
}
