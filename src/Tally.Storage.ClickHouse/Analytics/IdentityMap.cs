using Tally.Core.Analytics;
using Tally.Core.Events;
using Tally.Storage.ClickHouse.Http;

namespace Tally.Storage.ClickHouse.Analytics;

/// <summary>
/// The person each identified id belongs to, for the user unit. The union-find over all identity links is computed in
/// .NET by Core's <see cref="IdentityGraph"/> (the same code the engines use, so both name a person alike), and only
/// its result travels: an external table <c>actor_map(from_id String, user String)</c> sent with the query and joined
/// in SQL. Links are few next to events (one per login, alias or merge key), so reading them for each user-unit
/// query is cheap. Ids that map to themselves are sent too: an id in the table is one tied to a user, which tells an
/// authenticated user from a visitor never identified (<c>IdentityGraph.IdentifiedUser</c>).
/// </summary>
internal static class IdentityMap
{
    public const string TableName = "actor_map";

    public static ExternalTable Table(IEnumerable<IdentityLink> links)
    {
        var list = links.ToList();
        var graph = new IdentityGraph(list);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var link in list)
        {
            ids.Add(link.FromId);
            ids.Add(link.ToUserId);
        }

        using var rows = new JsonEachRow();
        foreach (var id in ids)
        {
            if (graph.Resolve(id) is { } person)
            {
                var w = rows.Begin();
                w.WriteString("from_id", id);
                w.WriteString("user", person);
                rows.End();
            }
        }

        return new ExternalTable(TableName, "from_id String, user String", rows.ToArray());
    }
}
