using System.Text.Json.Nodes;
using Tally.Core.Storage;
using Tally.Core.Tests.Support;
using Tally.EndToEnd.Tests.Support;

namespace Tally.EndToEnd.Tests.Governance;

/// <summary>
/// Seed 004: events marked aggregate_only are never stored raw, only as daily counts by source. Payloads of the
/// minimal-telemetry plan that carry an IP, a user agent, a user id, an anonymous id and emails (as fields, nested, and
/// in request headers) go through the real collector into each store; afterwards no table of the store holds any of
/// those strings (and, for SQLite, no byte of its files), and the daily counts by source are exactly what was sent.
/// </summary>
public sealed class AggregateOnlyTests
{
    private const string Ip = "203.0.113.77";
    private const string ForwardedIp = "198.51.100.23";
    private const string UserAgent = "Mozilla/5.0 (DirectoryPhone; rv:42) DirectoryBrowser/7.3";
    private const string UserId = "usr-directory-4711";
    private const string AnonymousId = "anon-directory-0815";
    private const string Email = "dana.attendee@example.org";
    private const string OtherEmail = "organiser.kim@example.net";

    private static readonly RawStrings Raw = new(Ip, ForwardedIp, UserAgent, UserId, AnonymousId, Email, OtherEmail);

    public static TheoryData<StoreKind> Stores => new(StoreKind.Sqlite, StoreKind.ClickHouse);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Aggregate_only_events_leave_only_daily_counts_by_source_and_no_identifier_anywhere(StoreKind kind)
    {
        await using var server = await StoreServer.StartAsync(kind, Repo.PathOf("plans", "minimal-telemetry.yaml"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var yesterday = today.AddDays(-1);
        JsonObject[] events =
        [
            Payload("event_signup", today, "web", count: 3),
            Payload("event_signup", today, "web", count: 2),
            Payload("event_signup", today, "admin", count: 1),
            Payload("event_signup", yesterday, "web", count: 4),
            Payload("directory_search", today, source: null, count: null, extra: new JsonObject { ["query"] = Email }),
            Payload("consent_changed", today, "admin", count: 1, extra: new JsonObject { ["state"] = "off" }),
        ];

        var posted = await server.PostAsync("/v1/events", new JsonArray(events).ToJsonString(), headers =>
        {
            headers.UserAgent.ParseAdd(UserAgent);
            headers.Add("X-Forwarded-For", ForwardedIp);
            headers.Add("X-Real-IP", Ip);
        });

        posted.ShouldBeIngested(accepted: events.Length);
        Assert.Empty(await server.EventsAsync());
        var rollups = (await server.Store.ReadRollupsAsync(new RollupQuery(), TestContext.Current.CancellationToken))
            .Select(r => (r.Day, r.Name, r.Environment, r.Source, r.Count)).OrderBy(r => r.ToString()).ToList();
        var expected = new[]
        {
            (today, "consent_changed", "production", "admin", 1L),
            // No source in the payload: the roll-up names the way it came in.
            (today, "directory_search", "production", "flat:/v1/events", 1L),
            (today, "event_signup", "production", "admin", 1L),
            (today, "event_signup", "production", "web", 5L),
            (yesterday, "event_signup", "production", "web", 4L),
        }.OrderBy(r => r.ToString()).ToList();
        Assert.Equal(expected, rollups);

        var (tables, files) = await server.DumpAsync();
        Assert.Contains(tables, t => t.Key == "rollups_daily" && t.Value.Contains("event_signup", StringComparison.Ordinal));
        foreach (var (table, text) in tables)
            Assert.True(Raw.FoundIn(text).Count == 0, $"{kind}: table {table} holds {string.Join(", ", Raw.FoundIn(text))}");
        Assert.True(Raw.FoundIn(files).Count == 0, $"{kind}: the store's files hold {string.Join(", ", Raw.FoundIn(files))}");
        if (kind == StoreKind.Sqlite) Assert.NotEmpty(files);
    }

    /// <summary>A minimal-telemetry payload carrying identifiers that the plan must never keep.</summary>
    private static JsonObject Payload(string name, DateOnly day, string? source, int? count, JsonObject? extra = null)
    {
        var e = new JsonObject
        {
            ["event_name"] = name,
            ["event_date"] = day.ToString("yyyy-MM-dd"),
            ["event_id"] = "gathering-42",
            ["ip"] = Ip,
            ["user_agent"] = UserAgent,
            ["userId"] = UserId,
            ["user_id"] = UserId,
            ["anonymousId"] = AnonymousId,
            ["anonymous_id"] = AnonymousId,
            ["email"] = Email,
            ["context"] = new JsonObject { ["ip"] = Ip, ["userAgent"] = UserAgent, ["traits"] = new JsonObject { ["email"] = OtherEmail } },
        };
        if (source is not null) e["source"] = source;
        if (count is not null) e["count"] = count;
        foreach (var (k, v) in extra ?? []) e[k] = v?.DeepClone();
        return e;
    }
}
