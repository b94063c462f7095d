using System.Text.Json.Nodes;
using Tally.Core.Analytics;
using Tally.Core.Plans;

namespace Tally.Core.Pipeline;

/// <summary>
/// What an aggregate-only event keeps for its daily roll-up (seed 004): the values of its declared properties after
/// privacy, so KPIs can group its counts by them, and nothing that could tell people apart. Left out: undeclared
/// properties (a plan may keep those on raw events, never here), hashed properties and IP addresses (a hash is a
/// pseudonymous identifier, an address half of one), and the identity properties (session, merge key, opt-out flag).
/// Ids of the envelope are never properties. The envelope's source is kept under its property name when the event
/// declares that property, because the envelope takes it out of the properties.
/// </summary>
internal static class AggregateDimensions
{
    public static string Of(TrackingPlan plan, EventDefinition def, string transformedJson, string? envelopeSource)
    {
        var kept = new JsonObject();
        if (JsonNode.Parse(transformedJson) is JsonObject properties)
        {
            foreach (var (name, value) in properties)
            {
                if (Keeps(plan, def, name)) kept[name] = value?.DeepClone();
            }
        }

        if (envelopeSource is not null && plan.Envelope.Source is { } path)
        {
            var name = path[(path.LastIndexOf('.') + 1)..];
            if (Keeps(plan, def, name)) kept[name] = envelopeSource;
        }

        return RollupDimensions.Of(kept.ToJsonString());
    }

    private static bool Keeps(TrackingPlan plan, EventDefinition def, string name)
    {
        if (!def.Declares(name)) return false;
        var identity = plan.Identity;
        if (name == identity.Session || name == identity.MergeBy || name == identity.OptOutProperty) return false;
        return plan.ResolveProperty(def, name)?.Privacy is not (PrivacyPolicy.Hash or PrivacyPolicy.Ip or PrivacyPolicy.Drop);
    }
}
