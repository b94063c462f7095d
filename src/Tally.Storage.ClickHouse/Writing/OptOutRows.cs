using Tally.Storage.ClickHouse.Http;

namespace Tally.Storage.ClickHouse.Writing;

/// <summary>One opt-out request as a row of <c>opt_outs</c>; readers take the latest per actor.</summary>
internal static class OptOutRows
{
    public const string Table = "opt_outs";

    public static void Add(JsonEachRow rows, string actorId, bool optedOut, DateTimeOffset at, ulong seq)
    {
        var json = rows.Begin();
        json.WriteString("actor_id"u8, actorId);
        json.WriteNumber("opted_out"u8, optedOut ? 1 : 0);
        json.WriteNumber("at"u8, UnixTime.ToMs(at));
        json.WriteNumber("seq"u8, seq);
        rows.End();
    }
}
