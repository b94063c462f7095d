using Tally.Core.Events;
using Tally.Core.Plans;

namespace Tally.Core.Analytics;

/// <summary>
/// Who is who: the identity links joined into people (union-find). Every id in a link (anonymous ids, user ids,
/// merge keys <c>mk:…</c>) is a node and every link an edge, so users sharing a merge key become one person and
/// anonymous ids identified as a user count as that user, before and after the login alike (links are not
/// time-bound). A person's key is the ordinal-smallest user id (a link's <see cref="IdentityLink.ToUserId"/>)
/// among its ids, so it does not depend on the order links arrive in.
/// Ids share one namespace: an anonymous id equal to some user id is the same node.
/// </summary>
public sealed class IdentityGraph
{
    public static readonly IdentityGraph Empty = new([]);

    private readonly Dictionary<string, string> _canonical;

    public IdentityGraph(IEnumerable<IdentityLink> links)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var parent = new List<int>();
        var pairs = new List<(int From, int To)>();
        int Node(string id)
        {
            if (index.TryGetValue(id, out var i)) return i;
            i = names.Count;
            index[id] = i;
            names.Add(id);
            parent.Add(i);
            return i;
        }
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }
        foreach (var link in links)
        {
            var from = Node(link.FromId);
            var to = Node(link.ToUserId);
            pairs.Add((from, to));
            int a = Find(from), b = Find(to);
            if (a != b) parent[a] = b;
        }
        // The smallest user id of each component names it.
        var best = new Dictionary<int, string>();
        foreach (var (_, to) in pairs)
        {
            var root = Find(to);
            var user = names[to];
            if (!best.TryGetValue(root, out var current) || string.CompareOrdinal(user, current) < 0) best[root] = user;
        }
        _canonical = new Dictionary<string, string>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++) _canonical[names[i]] = best[Find(i)];
    }

    /// <summary>The person's key for an id that appears in some link; null for an id no link mentions.</summary>
    public string? Resolve(string id) => _canonical.TryGetValue(id, out var key) ? key : null;

    /// <summary>
    /// Whose event it is for <paramref name="unit"/>: the session id (Session); the person, or the raw anonymous id
    /// of a never-identified visitor (User); the anonymous id, else the user id (Anonymous). Null when the event has
    /// no such actor; such events are skipped.
    /// </summary>
    public string? ActorKey(AnalyticsEvent e, CountingUnit unit) => unit switch
    {
        CountingUnit.Session => e.SessionId,
        CountingUnit.User => e.UserId is { } u ? Resolve(u) ?? u
            : e.AnonymousId is { } a ? Resolve(a) ?? a
            : null,
        CountingUnit.Anonymous => e.AnonymousId ?? e.UserId,
        _ => throw new ArgumentException("counting each event on its own has no actor; use session, user or anonymous", nameof(unit)),
    };

    /// <summary>
    /// The person of an authenticated actor: of the event's user id, else of its anonymous id when a link ties that to
    /// a user. Null for a visitor never identified, who is an actor of the user unit (<see cref="ActorKey"/>) but no
    /// user: <c>distinct_actors</c> KPIs in users (seed 002's "distinct authenticated users") leave such visitors out.
    /// </summary>
    public string? IdentifiedUser(AnalyticsEvent e) =>
        e.UserId is { } u ? Resolve(u) ?? u
        : e.AnonymousId is { } a ? Resolve(a)
        : null;
}
