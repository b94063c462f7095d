using Tally.Core.Events;
using Tally.Core.Governance;

namespace Tally.Core.Tests.Governance;

public class SubjectIdsTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IdentityLink[] Links =
    [
        new("anon-1", "user-1", IdentityLink.Identify, At),
        new("anon-2", "user-1", IdentityLink.Identify, At),
        new("prev-1", "user-1", IdentityLink.Alias, At),
        new("mk:h", "user-1", IdentityLink.MergeKey, At),
        new("mk:h", "user-2", IdentityLink.MergeKey, At),
        new("anon-9", "user-9", IdentityLink.Identify, At),
    ];

    [Fact]
    public void A_user_brings_its_anonymous_ids_aliases_and_the_users_sharing_its_merge_key()
    {
        Assert.Equal(["anon-1", "anon-2", "mk:h", "prev-1", "user-1", "user-2"], SubjectIds.Of(new Subject(SubjectKind.User, "user-1"), Links));
    }

    [Fact]
    public void An_anonymous_id_brings_its_user_and_that_users_other_ids()
    {
        Assert.Equal(SubjectIds.Of(new Subject(SubjectKind.User, "user-1"), Links), SubjectIds.Of(new Subject(SubjectKind.Anonymous, "anon-2"), Links));
    }

    [Fact]
    public void An_id_no_link_names_is_only_itself_and_other_people_are_never_included()
    {
        Assert.Equal(["stranger"], SubjectIds.Of(new Subject(SubjectKind.User, "stranger"), Links));
        Assert.DoesNotContain("user-9", SubjectIds.Of(new Subject(SubjectKind.User, "user-1"), Links));
    }

    [Fact]
    public void A_session_is_that_session_alone_even_when_an_id_of_the_same_text_is_linked()
    {
        Assert.Equal(["user-1"], SubjectIds.Of(new Subject(SubjectKind.Session, "user-1"), Links));
    }
}
