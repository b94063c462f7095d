using System.Text.RegularExpressions;
using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>
/// Checks every seed plan holds together: each name it uses is declared, each event has a retention, each
/// property that could hold personal data says what happens to it. These are the mistakes a plan written by
/// hand makes first, and the loader alone does not catch them.
/// </summary>
public partial class SeedPlanIntegrityTests
{
    public static TheoryData<string> PlanFiles => new(SeedPlans.Files);

    [Theory, MemberData(nameof(PlanFiles))]
    public void Every_property_an_event_lists_has_a_definition(string file)
    {
        var plan = SeedPlans.Load(file);
        foreach (var e in plan.Events)
        {
            foreach (var p in e.AllPropertyNames)
                Assert.True(plan.ResolveProperty(e, p) is not null, $"{e.Name} lists '{p}', which is not defined");
            Assert.Empty(e.Required.Intersect(e.Optional));
        }
    }

    [Theory, MemberData(nameof(PlanFiles))]
    public void Every_shared_property_is_used_by_an_event_or_the_envelope(string file)
    {
        var plan = SeedPlans.Load(file);
        var env = plan.Envelope;
        var envelopeFields = new[] { env.Timestamp, env.Count, env.Source, env.SessionId, env.EventId }
            .OfType<string>()
            .Select(path => path.StartsWith(env.Properties + ".") && env.Properties != "" ? path[(env.Properties.Length + 1)..] : path);
        var used = plan.Events.SelectMany(e => e.AllPropertyNames).Concat(envelopeFields).ToHashSet();
        foreach (var p in plan.Properties) Assert.True(used.Contains(p.Name), $"'{p.Name}' is defined but no event uses it");
    }

    [Theory, MemberData(nameof(PlanFiles))]
    public void Every_event_has_a_retention(string file)
    {
        var plan = SeedPlans.Load(file);
        foreach (var e in plan.Events)
        {
            var retention = plan.RetentionOf(e);
            Assert.True(retention is not null && retention > TimeSpan.Zero, $"{e.Name} has no retention");
        }
    }

    [Theory, MemberData(nameof(PlanFiles))]
    public void Every_event_name_follows_the_naming_rules(string file)
    {
        var plan = SeedPlans.Load(file);
        foreach (var e in plan.Events)
        {
            if (plan.Naming.Style == NamingStyle.SnakeCase) Assert.Matches(SnakeCase(), e.Name);
            if (plan.Naming.Pattern is { } pattern) Assert.Matches(pattern, e.Name);
            Assert.True(e.Name.Split('_').Length >= plan.Naming.MinWords, $"{e.Name} has fewer than {plan.Naming.MinWords} words");
        }
    }

    [Theory, MemberData(nameof(PlanFiles))]
    public void Properties_that_could_hold_personal_data_are_hashed_dropped_coarsened_or_vouched_for(string file)
    {
        var plan = SeedPlans.Load(file);
        var all = plan.Properties.Concat(plan.Events.SelectMany(e => e.Properties));
        foreach (var p in all)
        {
            if (p.Type is not (PropertyType.String or PropertyType.Array or PropertyType.Object)) continue;
            var words = Words(p.Name);
            if (!words.Overlaps(PersonalWords) && !PersonName().IsMatch(p.Name)) continue;
            Assert.True(p.Privacy != PrivacyPolicy.Allow || p.Prehashed || p.Sanitized,
                $"'{p.Name}' looks like personal data but is stored as sent");
        }
    }

    [Theory, MemberData(nameof(PlanFiles))]
    public void Journeys_funnels_kpis_and_attribution_name_declared_events_and_properties(string file)
    {
        var plan = SeedPlans.Load(file);
        foreach (var j in plan.Journeys)
            foreach (var s in j.Steps) CheckFilter(plan, s.Filter, $"journey {j.Name}");
        foreach (var f in plan.Funnels)
        {
            Assert.True(f.Steps.Count >= 2, $"funnel {f.Name} needs two steps");
            Assert.DoesNotContain(f.Steps, s => s.Optional);
            foreach (var s in f.Steps)
            {
                var e = CheckFilter(plan, s.Filter, $"funnel {f.Name}");
                if (f.BreakdownBy is { } by) Assert.True(e.Declares(by), $"funnel {f.Name} breaks down by '{by}', which {e.Name} does not carry");
            }
        }
        foreach (var k in plan.Kpis)
        {
            var owner = $"KPI {k.Name}";
            var filters = new[] { k.Numerator, k.Denominator, k.Event, k.Start, k.End }.OfType<EventFilter>().ToList();
            Assert.NotEmpty(filters);
            if (k.Event?.Event == EventFilter.AnyEvent) continue;
            var events = filters.Select(f => CheckFilter(plan, f, owner)).ToList();
            // The grouped or measured event is the KPI's event, or its numerator for rates.
            var measured = events[0];
            if (k.Property is { } property) Assert.True(measured.Declares(property.Split('.')[0]), $"{owner} reads '{property}', which {measured.Name} does not carry");
            foreach (var g in k.GroupBy) Assert.True(measured.Declares(g.Split('.')[0]), $"{owner} groups by '{g}', which {measured.Name} does not carry");
        }
        foreach (var a in plan.Attributions)
        {
            var touch = CheckFilter(plan, a.Touch, $"attribution {a.Name}");
            Assert.True(touch.Declares(a.CreditProperty), $"attribution {a.Name} credits '{a.CreditProperty}', which {touch.Name} does not carry");
            Assert.NotEmpty(a.Conversions);
            foreach (var c in a.Conversions) CheckFilter(plan, c, $"attribution {a.Name}");
        }
    }

    /// <summary>The filter's event must exist, and each condition must name a property it carries with a value that property can take.</summary>
    private static EventDefinition CheckFilter(TrackingPlan plan, EventFilter filter, string owner)
    {
        var e = plan.FindEvent(filter.Event);
        Assert.True(e is not null, $"{owner} names '{filter.Event}', which is not an event of the plan");
        foreach (var (key, value) in filter.Where)
        {
            Assert.True(e.Declares(key), $"{owner}: {e.Name} does not carry '{key}'");
            var def = plan.ResolveProperty(e, key)!;
            if (def.Type == PropertyType.Enum) Assert.Contains(value, def.Values);
            if (def.Type == PropertyType.Boolean) Assert.True(bool.TryParse(value, out _), $"{owner}: '{value}' is not a boolean");
        }
        return e;
    }

    private static readonly HashSet<string> PersonalWords =
        ["email", "mail", "phone", "address", "ip", "agent", "comment", "query", "message", "note", "text", "body"];

    /// <summary>A person's name; <c>model_name</c> or <c>feature_name</c> name things, not people.</summary>
    [GeneratedRegex(@"^(name|first_?name|last_?name|full_?name|user_?name|display_?name|contact_?name|customer_?name)$", RegexOptions.IgnoreCase)]
    private static partial Regex PersonName();

    /// <summary>Splits snake_case and camelCase names into lower-case words: <c>contactEmailHash</c> → contact, email, hash.</summary>
    private static HashSet<string> Words(string name) =>
        WordBoundary().Split(name).Where(w => w.Length > 0).Select(w => w.ToLowerInvariant()).ToHashSet();

    [GeneratedRegex(@"_|(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();

    [GeneratedRegex(@"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
