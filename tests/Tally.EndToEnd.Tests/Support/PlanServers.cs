using Tally.Core.Tests.Support;

namespace Tally.EndToEnd.Tests.Support;

/// <summary>
/// A class fixture: one real server for all tests of a class, enforcing one plan (a seed plan, or a temp copy with
/// edits). Tests of a class share its store, so they find what they stored by the request id they sent, never by
/// counting everything.
/// </summary>
public abstract class PlanServer(string planFile, params (string Find, string Replace)[] edits) : IAsyncLifetime
{
    private TestServer? _server;
    private TempPlan? _plan;

    public TestServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    public async ValueTask InitializeAsync()
    {
        string path;
        if (edits.Length > 0)
        {
            _plan = TempPlan.From(planFile, edits);
            path = _plan.Path;
        }
        else
        {
            path = Repo.PathOf("plans", planFile);
        }
        _server = await TestServer.StartAsync(path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _plan?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Seed 000's plan: Segment calls.</summary>
public sealed class AuroraServer() : PlanServer("aurora-concierge.yaml");

/// <summary>
/// Seed 000's plan plus Segment <c>page</c> and <c>screen</c> events, as a site that also sends page calls would
/// declare them: the Aurora widget itself sends only track calls, so its plan would quarantine them as unknown.
/// </summary>
public sealed class SegmentSiteServer() : PlanServer("aurora-concierge.yaml", ("\nevents:\n", """

    events:
      page:
        description: Segment page call (added for the end-to-end tests).
        optional: [sessionId]
      screen:
        description: Segment screen call (added for the end-to-end tests).
        optional: [sessionId]

    """));

/// <summary>Seed 002's plan: flat payloads, opt-out, merge by hashed email.</summary>
public sealed class SkillForgeServer() : PlanServer("skillforge.yaml");

/// <summary>Seed 001's plan: the BaseEvent envelope with a properties bag.</summary>
public sealed class AuterityServer() : PlanServer("auterity.yaml");

/// <summary>Seed 000's plan with aurora_products_shown sampled at 50%, the floor its seed allows.</summary>
public sealed class SampledAuroraServer() : PlanServer("aurora-concierge.yaml", ("    min_sampling: 0.5\n", "    min_sampling: 0.5\n    sampling: 0.5\n"));

/// <summary>Seed 002's plan with career_match_viewed sampled at 50%, so every drop reason can happen.</summary>
public sealed class SampledSkillForgeServer() : PlanServer("skillforge.yaml", (
    "  career_match_viewed:\n    description: Occupation detail viewed with compatibility score.\n",
    "  career_match_viewed:\n    description: Occupation detail viewed with compatibility score.\n    sampling: 0.5\n"));
