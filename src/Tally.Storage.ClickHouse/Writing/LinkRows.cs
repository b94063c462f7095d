using Tally.Core.Events;
using Tally.Storage.ClickHouse.Http;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>One sighting of an identity link as a row of <c>identity_links</c>; readers reduce sightings to the earliest.</summary>
internal static class LinkRows
{
    public const string Table = "identity_links";

    public static void Add(JsonEachRow rows, IdentityLink link, ulong seq)
    {
        var json = rows.Begin();
        json.WriteString("from_id"u8, link.FromId);
        json.WriteString("to_user_id"u8, link.ToUserId);
        json.WriteString("kind"u8, link.Kind);
        json.WriteNumber("at"u8, UnixTime.ToMs(link.At));
        json.WriteNumber("seq"u8, seq);
        rows.End();
    }
}
