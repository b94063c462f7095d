using Tally.Core.Plans;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Plans;

/// <summary>
/// The collector asks the index, once per property, whether an event declares a name and how it is defined. Its
/// answers must be those of the plan's own <see cref="EventDefinition.Declares"/> and
/// <see cref="TrackingPlan.ResolveProperty"/>, for the plan's events and for stand-ins that are not in the plan.
/// </summary>
public sealed class PropertyIndexTests
{
    public static TheoryData<string> PlanFiles => new(SeedPlans.Files);

    [Theory, MemberData(nameof(PlanFiles))]
    public void Declared_names_and_definitions_match_the_plans_own_answers(string file)
    {
        var plan = SeedPlans.Load(file);
        var index = PropertyIndex.Of(plan);
        var names = plan.Events.SelectMany(e => e.AllPropertyNames).Concat(plan.Properties.Select(p => p.Name))
            .Concat(["not_declared_anywhere", "context.ip", ""]).Distinct().ToList();
        // A stand-in event that is not one of the plan's instances, as quarantine builds for an unknown event.
        var standIn = new EventDefinition { Name = "unknown", Optional = [.. plan.Properties.Take(2).Select(p => p.Name)] };

        foreach (var evt in plan.Events.Append(standIn))
        {
            foreach (var name in names)
            {
                var declared = index.TryDeclared(evt, name, out var definition);

                Assert.Equal(evt.Declares(name), declared);
                Assert.Same(declared ? plan.ResolveProperty(evt, name) : null, definition);
            }
        }
    }
}
