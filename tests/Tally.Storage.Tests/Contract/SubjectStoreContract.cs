using Tally.Core.Events;
using Tally.Core.Governance;
using Tally.Core.Storage;
using Tally.Storage.Tests.Support;

namespace Tally.Storage.Tests.Contract;

/// <summary>
/// What every store's GDPR deletion promises: a subject's every id (merged through identify, alias and merge-key
/// links, and the sessions of its events) is found, and afterwards no table of the store holds any of them, while
/// other people's rows stay; the receipt counts what went; a repeat finds nothing. A backend says how to search its
/// every table (<see cref="PlacesHoldingAsync"/>), so a store that only hid rows from its own reads would fail.
/// </summary>
public abstract class SubjectStoreContract(IEventStoreFactory factory) : IAsyncLifetime
{
    private readonly List<IEventStore> _opened = [];

    protected IEventStore Store => _opened[0];

    private ISubjectStore Subjects => (ISubjectStore)Store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _opened.Add(await factory.CreateAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
        await factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Every table (or file) of the store's storage that holds <paramref name="needle"/> anywhere, read past the store's own API.</summary>
    protected abstract Task<IReadOnlyList<string>> PlacesHoldingAsync(string needle);

    /// <summary>Two people and their data: A (to be deleted) with ids merged every way a link merges them, and B.</summary>
    private sealed record People(IReadOnlyList<string> AIds, IReadOnlyList<string> BIds, int AEvents, int AQuarantined, int ALinks, int AOptOuts, string AAnonymous);

    private async Task<People> WriteTwoPeopleAsync()
    {
        string Id(string p) => Some.Id(p);
        var (uA, aA1, aA2, pA, uA2, mk) = (Id("userA"), Id("anonA1"), Id("anonA2"), Id("prevA"), Id("userA2"), "mk:" + Id("mergeA"));
        var (sA1, sA2, sA3) = (Id("sessA1"), Id("sessA2"), Id("sessA3"));
        var (uB, aB, sB) = (Id("userB"), Id("anonB"), Id("sessB"));

        CollectedEvent E(string? anon, string? user, string? session, string? previous = null) =>
            Some.Event() with { AnonymousId = anon, UserId = user, SessionId = session, PreviousId = previous };
        var aEvents = new[]
        {
            E(aA1, null, sA1), E(aA1, null, sA1), // before login: anonymous only
            E(aA1, uA, sA2),                      // the identify
            E(null, uA, sA2),
            E(aA2, null, null),                   // another device, no session
            E(null, uA, null, previous: pA),      // an alias call
            E(null, uA2, sA3),                    // a second account sharing the merge key
        };
        var bEvents = new[] { E(aB, null, sB), E(aB, uB, sB), E(null, uB, sB) };
        var aLinks = new[]
        {
            new IdentityLink(aA1, uA, IdentityLink.Identify, Some.Instant()),
            new IdentityLink(aA2, uA, IdentityLink.Identify, Some.Instant()),
            new IdentityLink(pA, uA, IdentityLink.Alias, Some.Instant()),
            new IdentityLink(mk, uA, IdentityLink.MergeKey, Some.Instant()),
            new IdentityLink(mk, uA2, IdentityLink.MergeKey, Some.Instant()),
        };
        var bLinks = new[] { new IdentityLink(aB, uB, IdentityLink.Identify, Some.Instant()) };

        QuarantinedEvent Q(string field, string value) => Some.Quarantined() with
        {
            PayloadJson = $$"""{"event":"x","type":"track","eventId":"{{Id("e")}}","{{field}}":"{{value}}","count":1,"properties":{"n":1},"transformed":[]}""",
        };
        var aQuarantine = new[] { Q("userId", uA), Q("anonymousId", aA2), Q("sessionId", sA1), Q("previousId", pA) };
        var bQuarantine = new[] { Q("userId", uB), Some.Quarantined() with { PayloadJson = "not json {" } };

        await Store.WriteAsync(new WriteBatch([.. aEvents, .. bEvents], [.. aQuarantine, .. bQuarantine], [.. aLinks, .. bLinks]), Ct);
        await Store.SetOptOutAsync(aA1, true, Some.Instant(), Ct);
        await Store.SetOptOutAsync(uA2, true, Some.Instant(), Ct);
        await Store.SetOptOutAsync(uB, true, Some.Instant(), Ct);

        return new People(
            new[] { uA, aA1, aA2, pA, uA2, mk, sA1, sA2, sA3 }.Order(StringComparer.Ordinal).ToList(),
            [uB, aB, sB],
            aEvents.Length, aQuarantine.Length, aLinks.Length, 2, aA1);
    }

    [Fact]
    public async Task A_subject_resolves_to_every_id_merged_with_it_and_the_sessions_of_its_events()
    {
        var people = await WriteTwoPeopleAsync();

        var ids = await Subjects.ResolveSubjectAsync(new Subject(SubjectKind.Anonymous, people.AAnonymous), Ct);

        Assert.Equal(people.AIds, ids);
    }

    [Fact]
    public async Task A_session_subject_is_that_session_alone()
    {
        var session = Some.Id("sess");
        await Store.WriteAsync(WriteBatch.Of(Some.Event() with { SessionId = session }), Ct);

        Assert.Equal([session], await Subjects.ResolveSubjectAsync(new Subject(SubjectKind.Session, session), Ct));
    }

    [Fact]
    public async Task After_a_deletion_no_table_holds_any_id_of_the_subject_and_other_people_are_untouched()
    {
        var people = await WriteTwoPeopleAsync();
        var bEventsBefore = await Store.CountEventsAsync(new EventQuery(), Ct) - people.AEvents;
        var rollupsBefore = (await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count);
        // The search finds what it looks for, so an empty answer afterwards means something.
        foreach (var id in people.AIds) Assert.NotEmpty(await PlacesHoldingAsync(id));

        var ids = await Subjects.ResolveSubjectAsync(new Subject(SubjectKind.Anonymous, people.AAnonymous), Ct);
        var erased = await Subjects.EraseIdsAsync(ids, Ct);

        Assert.Equal(new ErasedRows(people.AEvents, people.AQuarantined, people.ALinks, people.AOptOuts), erased);
        foreach (var id in people.AIds) Assert.Empty(await PlacesHoldingAsync(id));
        foreach (var id in people.BIds) Assert.NotEmpty(await PlacesHoldingAsync(id));
        Assert.Equal(bEventsBefore, await Store.CountEventsAsync(new EventQuery(), Ct));
        Assert.Equal(2, await Store.ReadQuarantineAsync(Ct).CountAsync(Ct));
        Assert.Single(await Store.ReadIdentityLinksAsync(Ct));
        Assert.Single(await Store.ReadOptedOutAsync(Ct));
        // Roll-ups hold counts only and are kept as they were.
        Assert.Equal(rollupsBefore, (await Store.ReadRollupsAsync(new RollupQuery(), Ct)).Sum(r => r.Count));
    }

    [Fact]
    public async Task Deleting_again_finds_nothing_and_removes_nothing()
    {
        var people = await WriteTwoPeopleAsync();
        var subject = new Subject(SubjectKind.User, people.AIds.First(i => i.StartsWith("userA_", StringComparison.Ordinal)));
        await Subjects.EraseIdsAsync(await Subjects.ResolveSubjectAsync(subject, Ct), Ct);

        var again = await Subjects.ResolveSubjectAsync(subject, Ct);
        var erased = await Subjects.EraseIdsAsync(again, Ct);

        Assert.Equal([subject.Id], again);
        Assert.Equal(new ErasedRows(0, 0, 0, 0), erased);
        Assert.Equal(3, await Store.CountEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task Suppressed_hashes_are_kept_once_and_survive_a_reopen()
    {
        var at = Some.Instant();
        await Subjects.AddSuppressedAsync(["b" + new string('0', 63), "a" + new string('0', 63)], at, Ct);
        await Subjects.AddSuppressedAsync(["a" + new string('0', 63)], at.AddMinutes(1), Ct);
        await Store.DisposeAsync();
        _opened[0] = await factory.ReopenAsync();

        Assert.Equal(["a" + new string('0', 63), "b" + new string('0', 63)], await Subjects.ReadSuppressedAsync(Ct));
    }
}
