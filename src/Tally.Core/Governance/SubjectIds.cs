using Tally.Core.Events;

namespace Tally.Core.Governance;

/// <summary>
/// Every id that belongs to a subject, from the identity links: for a user or an anonymous id, the whole person the
/// analytics engines count as one (<see cref="Analytics.IdentityGraph"/>: the ids joined by identify, alias and
/// merge-key links, so a user's anonymous ids, an anonymous id's user and that user's other ids). A session is not a
/// person and no link names one, so a session's deletion covers that session alone.
/// </summary>
public static class SubjectIds
{
    public static IReadOnlyList<string> Of(Subject subject, IEnumerable<IdentityLink> links)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Kind == SubjectKind.Session) return [subject.Id];

        var neighbours = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Edge(string a, string b)
        {
            if (!neighbours.TryGetValue(a, out var list)) neighbours[a] = list = [];
            list.Add(b);
        }
        foreach (var link in links)
        {
            Edge(link.FromId, link.ToUserId);
            Edge(link.ToUserId, link.FromId);
        }

        var found = new HashSet<string>(StringComparer.Ordinal) { subject.Id };
        var queue = new Queue<string>([subject.Id]);
        while (queue.TryDequeue(out var id))
        {
            if (!neighbours.TryGetValue(id, out var next)) continue;
            foreach (var n in next)
                if (found.Add(n)) queue.Enqueue(n);
        }
        return found.Order(StringComparer.Ordinal).ToList();
    }
}
