using Tally.Core.Pipeline;
using Tally.Core.Privacy;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class SuppressionTests
{
    private readonly SuppressionList _suppressed = new(new PropertyHasher(Some.Salt));
    private readonly EventPipeline _pipeline;

    public SuppressionTests() => _pipeline = new EventPipeline(TestPlans.Shop, new PipelineOptions { HashSalt = Some.Salt }, new OptOutRegistry(), _suppressed);

    private PipelineOutcome Send(string? userId = "u-1", string? anonymousId = "anon-1", string session = "s-1") =>
        _pipeline.Process(Some.Track("page_viewed", $"\"sessionId\":\"{session}\"", userId, anonymousId));

    [Fact]
    public void Events_carrying_a_suppressed_user_anonymous_or_session_id_are_dropped_as_suppressed()
    {
        OutcomeAssert.Accepted(Send());
        _suppressed.AddHash(_suppressed.HashOf("u-1"));
        _suppressed.AddHash(_suppressed.HashOf("anon-2"));
        _suppressed.AddHash(_suppressed.HashOf("s-3"));

        OutcomeAssert.Dropped(Send(), DropReasons.Suppressed);
        OutcomeAssert.Dropped(Send(userId: null, anonymousId: "anon-2"), DropReasons.Suppressed);
        OutcomeAssert.Dropped(Send(userId: "u-7", anonymousId: "anon-7", session: "s-3"), DropReasons.Suppressed);
        OutcomeAssert.Accepted(Send(userId: "u-7", anonymousId: "anon-7", session: "s-7"));
    }

    [Fact]
    public void Even_an_invalid_event_of_a_suppressed_id_is_dropped_not_quarantined()
    {
        _suppressed.AddHash(_suppressed.HashOf("u-1"));

        OutcomeAssert.Dropped(_pipeline.Process(Some.Track("no_such_event", "", "u-1", null)), DropReasons.Suppressed);
    }

    [Fact]
    public void The_list_holds_keyed_hashes_that_depend_on_the_salt()
    {
        var other = new SuppressionList(new PropertyHasher("another-salt"u8.ToArray()));
        Assert.NotEqual(_suppressed.HashOf("u-1"), other.HashOf("u-1"));
        Assert.Equal(64, _suppressed.HashOf("u-1").Length);
        Assert.DoesNotContain("u-1", _suppressed.HashOf("u-1"));

        other.AddHash(_suppressed.HashOf("u-1"));
        Assert.False(other.IsSuppressed("u-1"));
    }
}
